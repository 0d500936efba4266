package dev.secrets.benchmarks;

import dev.secrets.CreateSecretRequest;
import dev.secrets.Pkcs11Token;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.internal.crypto.KeyProviders;
import dev.secrets.spi.KeyRoot;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@code pkcs11:} root (an AES-256 key in a SoftHSM2 token) against a {@code file:} root, in the
 * same run, on an in-memory store:
 * <ul>
 *   <li>{@code coldRead} — {@code client.refresh(id)}: a read that misses the value cache (record
 *       read, MAC check, data-key unwrap, decrypt). The keyring is cached per process, so the
 *       token is not asked: the target is a ratio pkcs11/file of about 1.</li>
 *   <li>{@code unwrapKeyringKey} — the root's own work when a keyring version is loaded, once per
 *       keyring load per process: AES-GCM unwrap of the 32-byte keyring key, in the token for
 *       pkcs11, in the JVM for file. This is the one-time cost per key version.</li>
 * </ul>
 * SoftHSM2 reads {@code SOFTHSM2_CONF}; {@code benchmarks/run} sets it and initialises the token
 * {@code bench} (PIN {@code 123456}) in {@code benchmarks/target/softhsm}.
 *
 * <p>Run: {@code benchmarks/run full RootColdReadBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED")
@State(Scope.Thread)
public class RootColdReadBenchmark {
    static final String PIN_ENV = "SECRETS_BENCH_HSM_PIN";
    private static final Map<String, String> ENV = Map.of(PIN_ENV, "123456");
    private static final Map<String, String> CONTEXT = Map.of("secrets:store", "bench-store", "secrets:key", "default");

    @Param({"file", "pkcs11"})
    public String root;

    private SecretsClient client;
    private KeyRoot keyRoot;
    private byte[] wrapped;
    private Path keyFile;

    @Setup
    public void setUp() throws IOException {
        String uri;
        if (root.equals("file")) {
            keyFile = Files.createTempFile("bench-root", ".key");
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[32]));
            uri = "file:" + keyFile;
        } else {
            if (System.getenv("SOFTHSM2_CONF") == null) {
                throw new IllegalStateException("SOFTHSM2_CONF is not set: run this benchmark through benchmarks/run");
            }
            String object = "bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            uri = "pkcs11:token=bench;object=" + object + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:" + PIN_ENV;
            Pkcs11Token.generateKey(uri, ENV::get);
        }
        client = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .environment(ENV::get).store(InMemoryObjectStore.withoutETags()).masterKey("default", uri).cacheTtl(Duration.ofHours(1)).build();
        client.createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE,
                SecretValue.ofJson("{\"username\":\"app\",\"password\":\"benchmark-password\"}")));
        keyRoot = KeyProviders.open("default", uri, ENV::get);
        KeyRoot.NewKey k = keyRoot.generate(CONTEXT);
        wrapped = k.wrapped();
        k.destroy();
    }

    @TearDown
    public void tearDown() throws IOException {
        client.close();
        if (keyFile != null) {
            Files.deleteIfExists(keyFile);
        }
    }

    @Benchmark
    public SecretVersion coldRead() {
        return client.refresh("app/db");
    }

    @Benchmark
    public byte[] unwrapKeyringKey() {
        return keyRoot.unwrap(wrapped, CONTEXT);
    }
}
