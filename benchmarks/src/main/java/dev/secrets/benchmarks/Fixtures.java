package dev.secrets.benchmarks;

import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * What the benchmarks share: a fixed benchmark master key, clients on it, temporary directories. The
 * isolated configuration and the in-memory store are core's test fixtures ({@link IsolatedConfig},
 * {@code InMemoryObjectStore}), the same the tests use.
 */
final class Fixtures {
    /** A fixed 256-bit root for master key {@code default}: benchmark data only, never a real secret. */
    static final byte[] MASTER_KEY = new byte[32];

    static {
        for (int i = 0; i < MASTER_KEY.length; i++) {
            MASTER_KEY[i] = (byte) (i * 7 + 1);
        }
    }

    private Fixtures() {
    }

    /** A client on {@code store} with the benchmark master key, the default cache TTL and no audit sink. */
    static SecretsClient client(ObjectStore store) {
        return clientBuilder().store(store).build();
    }

    /** A client on {@code store} like {@link #client(ObjectStore)}, with the chained audit file at {@code auditLog} (fsync on). */
    static SecretsClient auditedClient(ObjectStore store, Path auditLog) {
        SecretsConfig cfg = IsolatedConfig.builder().set(SecretsConfig.AUDIT_LOG, auditLog.toString()).build();
        return SecretsClient.builder().config(cfg).masterKey("default", MASTER_KEY).cacheTtl(Duration.ofHours(1))
                .cacheMaxSize(1024).principal("bench").store(store).build();
    }

    /** A client on the store at {@code uri}. */
    static SecretsClient client(String uri) {
        return clientBuilder().store(uri).build();
    }

    private static SecretsClient.Builder clientBuilder() {
        return SecretsClient.builder().config(IsolatedConfig.get()).masterKey("default", MASTER_KEY).cacheTtl(Duration.ofHours(1))
                .cacheMaxSize(1024);
    }

    /**
     * Where benchmarks keep data that is slow to make and may be reused between runs: the system
     * property {@code secrets.bench.data}, else {@code secrets-bench-data} in the temporary directory.
     */
    static Path dataDir() {
        String dir = System.getProperty("secrets.bench.data");
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), "secrets-bench-data");
    }

    /** A fresh directory under the system temporary directory. */
    static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("secrets-bench-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything under it; no error when it is gone. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
