package dev.secrets.benchmarks;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cold read from the file store — {@code client.refresh(id)}: list the secret's generations, read
 * the newest, verify its MAC, unwrap and decrypt {@code CURRENT} — in stores holding 10, 10,000 and
 * 100,000 secrets (flat IDs {@code app-000042/db}, one database secret each, in one directory level).
 * Each operation reads a secret drawn uniformly at random from all N (a fixed seed, so every run
 * reads the same sequence), so the directories read are spread over the whole store and its page
 * cache footprint, not the same 10 directories over and over. The baseline is the same read with
 * {@code secrets=10}. The page cache is not dropped (that needs root, {@code /proc/sys/vm/drop_caches},
 * or a {@code posix_fadvise} per file, which Java cannot call): on a machine whose memory holds the
 * store, these are reads from the page cache, as a service's reads of its own secrets are.
 *
 * <p>Target: flat, time at 100,000 ≤ 1.5 × time at 10.
 *
 * <p>The stores are written once into {@code <data dir>/file-store-N} (see
 * {@code Fixtures.dataDir()}; {@code benchmarks/run} uses {@code benchmarks/target/bench-data}) and
 * reused by later runs as long as this build can read them. They are written through a client whose
 * store writes the file store's layout without fsync (100,000 durable writes take minutes) and read
 * through the real {@code file:} store, wrapped so that the daily access-date marker (a durable
 * file created on the first read of each secret per client and day) is not written during the
 * measurement: with uniform reads over 100,000 secrets nearly every read would be a first read, and
 * the row would measure that fsync instead of the read. It is written once per secret and day, not
 * per read.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FileColdGetBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FileColdGetBenchmark {
    private static final int SAMPLE = 10;
    /** Written last into a store directory once it holds every secret. */
    private static final String COMPLETE = ".complete";

    @Param({"10", "10000", "100000"})
    public int secrets;

    private Path dir;
    private SecretsClient client;
    private String[] ids;
    private java.util.SplittableRandom random;

    static String id(int i) {
        return String.format(Locale.ROOT, "app-%06d/db", i);
    }

    static SecretValue value(int i) {
        return SecretValue.ofFields(Map.of("username", "app" + i, "password", "benchmark-password-" + i,
                "engine", "postgres", "host", "db-" + i + ".internal", "port", 5432, "dbname", "app"));
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Fixtures.dataDir().resolve("file-store-" + secrets);
        ids = new String[secrets];
        for (int k = 0; k < secrets; k++) {
            ids[k] = id(k);
        }
        random = new java.util.SplittableRandom(42);
        if (!Files.exists(dir.resolve(COMPLETE)) || !readable()) {
            populate();
        } else {
            System.out.printf(Locale.ROOT, "%n[setup] reusing the store of %,d secrets in %s%n", secrets, dir);
        }
        client = Fixtures.client(new NoAccessDateStore(new dev.secrets.file.FileObjectStore(dir)));
        for (int k = 0; k < SAMPLE; k++) {
            int i = (int) ((long) k * secrets / SAMPLE);
            if (!client.refresh(ids[i]).value().field("username").equals("app" + i)) {
                throw new IllegalStateException("read back another secret than written");
            }
        }
    }

    /** Whether the store left by an earlier run can be read by this build. */
    private boolean readable() {
        try (SecretsClient c = Fixtures.client("file:" + dir)) {
            for (int k = 0; k < SAMPLE; k++) {
                c.refresh(ids[(int) ((long) k * secrets / SAMPLE)]);
            }
            return true;
        } catch (RuntimeException e) {
            System.out.printf(Locale.ROOT, "%n[setup] the store in %s is unreadable (%s); writing it again%n", dir, e);
            return false;
        }
    }

    private void populate() throws IOException {
        Fixtures.deleteTree(dir);
        Files.createDirectories(dir);
        long start = System.nanoTime();
        try (SecretsClient writer = Fixtures.client(new UnsyncedFileStore(dir))) {
            writer.createSecret(CreateSecretRequest.of(id(0), SecretKind.DATABASE, value(0))); // store identity and keyring
            IntStream.range(1, secrets).parallel()
                    .forEach(i -> writer.createSecret(CreateSecretRequest.of(id(i), SecretKind.DATABASE, value(i))));
        }
        Files.writeString(dir.resolve(COMPLETE), secrets + " secrets\n");
        System.out.printf(Locale.ROOT, "%n[setup] wrote %,d secrets to %s in %.1f s%n", secrets, dir, (System.nanoTime() - start) / 1e9);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public SecretVersion coldGet() {
        return client.refresh(ids[random.nextInt(secrets)]);
    }

    /** The real store, except that the access-date markers are taken as already written (see the class comment). */
    private static final class NoAccessDateStore implements dev.secrets.spi.ObjectStore {
        private final dev.secrets.spi.ObjectStore store;

        NoAccessDateStore(dev.secrets.spi.ObjectStore store) {
            this.store = store;
        }

        @Override
        public java.util.Optional<byte[]> get(String key) {
            return store.get(key);
        }

        @Override
        public java.util.Optional<dev.secrets.spi.StoredObject> getWithETag(String key) {
            return store.getWithETag(key);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] bytes) {
            return !key.startsWith("access/") && store.putIfAbsent(key, bytes);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
        }

        @Override
        public dev.secrets.spi.ListPage list(String prefix, String startAfter, int limit) {
            return store.list(prefix, startAfter, limit);
        }

        @Override
        public String location() {
            return store.location();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
