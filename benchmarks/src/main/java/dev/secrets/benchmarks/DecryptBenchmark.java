package dev.secrets.benchmarks;

import dev.secrets.internal.access.StoredValues;
import dev.secrets.SecretValue;
import dev.secrets.internal.record.Envelope;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.keys.KeyringStore;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.testing.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decryption of one version: {@code Envelope.open} (unwrap the data key with the master key's wrap
 * key, decrypt the value, both AES-256-GCM with associated data) against the bare JDK doing the same
 * two decryptions — one {@link Cipher} kept by the benchmark, {@code init} with key and nonce,
 * {@code updateAAD} with precomputed associated data of the same length, {@code doFinal} — on the
 * same ciphertexts. {@code size} is the value's size in bytes (a binary value).
 *
 * <p>Target: {@code envelope} ≤ 1.5 × {@code jdkAesGcm} at 1 KiB and 64 KiB.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DecryptBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DecryptBenchmark {
    private static final int TAG_BITS = 128;
    private static final int NONCE_BYTES = 12;

    @Param({"64", "1024", "65536"})
    public int size;

    /** {@code envelope}: ours; {@code jdkAesGcm}: the baseline. */
    @Param({"envelope", "jdkAesGcm"})
    public String variant;

    private boolean ours;
    private String storeId;
    private String secretId;
    private Keyring.Version key;
    private VersionEntry version;
    private Cipher cipher;
    private byte[] keyAad;
    private byte[] valueAad;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        ours = variant.equals("envelope");
        SecureRandom random = new SecureRandom();
        storeId = UUID.randomUUID().toString();
        secretId = "bench/decrypt";
        KeyringStore keyrings = new KeyringStore(new RecordLog(InMemoryObjectStore.withoutETags(), random),
                name -> Optional.of(RootKey.ofBytes(name, Fixtures.MASTER_KEY)), random, Clock.systemUTC());
        key = keyrings.forWrite(storeId, "default").primary();
        byte[] plain = new byte[size];
        random.nextBytes(plain);
        version = new VersionEntry();
        version.id = UUID.randomUUID().toString();
        Envelope.seal(version, storeId, secretId, key, SecretValue.ofBytes(plain), random);
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        // Same lengths as the envelope's associated data; computed once, outside the measurement.
        keyAad = ("secrets/data-key/v1\0" + storeId + "\0" + secretId + "\0" + version.id).getBytes(StandardCharsets.UTF_8);
        valueAad = ("secrets/value/v1\0" + storeId + "\0" + secretId + "\0" + version.id + "\0" + version.type.name())
                .getBytes(StandardCharsets.UTF_8);
        byte[] ours = StoredValues.bytes(Envelope.open(version, storeId, secretId, key));
        if (!Arrays.equals(ours, plain) || !Arrays.equals(jdk(), plain)) {
            throw new IllegalStateException("both variants must decrypt the value");
        }
    }

    @Benchmark
    public byte[] decrypt() throws GeneralSecurityException {
        return ours ? StoredValues.bytes(Envelope.open(version, storeId, secretId, key)) : jdk();
    }

    private byte[] jdk() throws GeneralSecurityException {
        byte[] wrapped = version.wrappedKey;
        cipher.init(Cipher.DECRYPT_MODE, key.wrapKey(), new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
        cipher.updateAAD(keyAad);
        byte[] dataKey = cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BITS, version.nonce));
        cipher.updateAAD(valueAad);
        return cipher.doFinal(version.ciphertext);
    }
}
