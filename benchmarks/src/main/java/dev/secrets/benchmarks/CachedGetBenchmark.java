package dev.secrets.benchmarks;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.testing.InMemoryObjectStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cache hit: {@code client.getSecretValue(id)} of a secret read before, against
 * {@code ConcurrentHashMap.get} of the same {@link SecretVersion} — the floor a cache can reach.
 * Both maps hold the same 100 secrets. {@code oneThread} and {@code twoThreads} read the same
 * secret from one and two threads (the machine has two cores). Variants:
 * {@code secretsAudited} — the client as production runs it, with the chained audit file on
 * ({@code secrets.audit.log} in a temporary directory, fsync on, the default 1 s writer interval:
 * its background writes happen during the measurement); {@code secrets} — the same client without
 * any audit sink; {@code concurrentHashMap} — the floor.
 *
 * <p>Targets: {@code secretsAudited} ≤ 2 × {@code concurrentHashMap} and ≤ 1.2 × {@code secrets};
 * {@code secrets} ≤ 2 × {@code concurrentHashMap}; at 1 and 2 threads.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CachedGetBenchmark}. On a machine whose
 * speed drifts over minutes, run it in rounds — the variants repeated in one run, so that each
 * round's ratios compare runs made within a minute of each other — and let {@code benchmarks/check}
 * take the median of the rounds: {@code benchmarks/run full CachedGetBenchmark -p
 * variant=secretsAudited,secrets,concurrentHashMap,secretsAudited,secrets,concurrentHashMap,...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CachedGetBenchmark {
    private static final int SECRETS = 100;

    /** {@code secretsAudited}: the client with the audit file; {@code secrets}: without audit; {@code concurrentHashMap}: the floor. */
    @Param({"secretsAudited", "secrets", "concurrentHashMap"})
    public String variant;

    private java.nio.file.Path auditDir;

    private boolean ours;
    private SecretsClient client;
    private ConcurrentHashMap<String, SecretVersion> map;
    private String id;

    @Setup(Level.Trial)
    public void setUp() {
        ours = !variant.equals("concurrentHashMap");
        if (variant.equals("secretsAudited")) {
            auditDir = Fixtures.tempDir("audit");
            client = Fixtures.auditedClient(InMemoryObjectStore.withoutETags(), auditDir.resolve("audit.log"));
        } else {
            client = Fixtures.client(InMemoryObjectStore.withoutETags());
        }
        map = new ConcurrentHashMap<>();
        for (int i = 0; i < SECRETS; i++) {
            String name = "bench/app-" + i + "/db";
            client.createSecret(CreateSecretRequest.of(name, SecretKind.DATABASE, SecretValue.ofFields(Map.of(
                    "username", "app" + i, "password", "benchmark-password-" + i, "engine", "postgres",
                    "host", "db.internal", "port", 5432))));
            map.put(name, client.refresh(name));
        }
        id = "bench/app-42/db";
        if (client.getSecretValue(id) != map.get(id)) {
            throw new IllegalStateException("the cache should return the very version the baseline map holds");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        if (auditDir != null) {
            dev.secrets.audit.AuditLogVerifier.Result r = dev.secrets.audit.AuditLogVerifier.verify(auditDir.resolve("audit.log"));
            System.out.printf("%n[teardown] audit log: %s%n", r);
            Fixtures.deleteTree(auditDir);
            if (!r.valid()) {
                throw new IllegalStateException("the audit log does not verify: " + r);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public SecretVersion oneThread() {
        return read();
    }

    @Benchmark
    @Threads(2)
    public SecretVersion twoThreads() {
        return read();
    }

    private SecretVersion read() {
        return ours ? client.getSecretValue(id) : map.get(id);
    }
}
