package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConfigurationException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.InstrumentedObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's own promises: permissions, file names, no scan on reads, URIs. */
class FileObjectStoreTest {
    private static final byte[] KEY = "file-store-test-key-0123456789ab".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static SecretsClient client(Object store) {
        SecretsClient.Builder b = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .masterKey("default", KEY).cacheTtl(Duration.ZERO);
        return store instanceof String ? b.store((String) store).build() : b.store((dev.secrets.spi.ObjectStore) store).build();
    }

    @Test
    void directoriesAre0700_andFilesAre0600() throws IOException {
        Path root = dir.resolve("store");
        try (SecretsClient c = client("file:" + root)) {
            c.createSecret(CreateSecretRequest.of("a/b/c", SecretKind.GENERIC, SecretValue.ofText("v")));
            c.createSecret(CreateSecretRequest.of("x".repeat(450), SecretKind.GENERIC, SecretValue.ofText("v")));
            c.putSecretValue("a/b/c", SecretValue.ofText("w"));
            c.getSecretValue("a/b/c");
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.collect(Collectors.toList());
        }
        assertThat(all).hasSizeGreaterThan(8);
        for (Path p : all) {
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            assertThat(perms).as("%s", p).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            assertThat(p.getFileName().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
            assertThat(p.getFileName().toString()).doesNotStartWith("^tmp-");
        }
    }

    @Test
    void readingOneSecretAmong10000_listsOnlyThatSecretsPrefix() throws IOException {
        Path root = dir.resolve("store");
        try (SecretsClient c = client("file:" + root)) {
            c.createSecret(CreateSecretRequest.of("prod/target", SecretKind.GENERIC, SecretValue.ofText("found")));
        }
        // 10,000 other secrets' generation objects, written directly: the read must not look at them.
        for (int i = 0; i < 10_000; i++) {
            Path d = root.resolve("secrets/prod/other-" + i);
            Files.createDirectories(d);
            Files.write(d.resolve("~0000000000000001"), new byte[] {'x'});
        }
        InstrumentedObjectStore counting = new InstrumentedObjectStore(new FileObjectStore(root));
        try (SecretsClient c = client(counting)) {
            long start = System.nanoTime();
            assertThat(c.getSecretValue("prod/target").text()).isEqualTo("found");
            long firstMicros = (System.nanoTime() - start) / 1000;
            counting.resetCounts();
            start = System.nanoTime();
            assertThat(c.refresh("prod/target").text()).isEqualTo("found");
            long againMicros = (System.nanoTime() - start) / 1000;

            // A read lists the secret's own prefix twice (before and after its get: see RecordLog.read), nothing else.
            assertThat(counting.listedPrefixes()).containsExactly("secrets/prod/target/~", "secrets/prod/target/~");
            assertThat(counting.gets.get()).isEqualTo(1);
            System.out.printf("read among 10,000 secrets: first %d µs (keyring load included), uncached re-read %d µs, %d list, %d get%n",
                    firstMicros, againMicros, counting.lists.get(), counting.gets.get());
        }
    }

    @Test
    void storeUris_areParsed_andAFileInsteadOfADirectoryIsRefused() throws IOException {
        FileObjectStoreProvider p = new FileObjectStoreProvider();
        SecretsConfig cfg = IsolatedConfig.get();
        assertThat(((FileObjectStore) p.open("file:" + dir.resolve("a"), cfg)).root()).isEqualTo(dir.resolve("a"));
        assertThat(((FileObjectStore) p.open("file://" + dir.resolve("b"), cfg)).root()).isEqualTo(dir.resolve("b"));
        assertThat(p.open("file:" + dir.resolve("c"), cfg).location()).isEqualTo("file:" + dir.resolve("c"));
        assertThatThrownBy(() -> p.open("file://host/x", cfg)).isInstanceOf(ConfigurationException.class).hasMessageContaining("host");
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> p.open("file:" + file, cfg)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void severalStoreInstancesOnOneDirectory_inOneJvm_shareItSafely() throws Exception {
        Path root = dir.resolve("store");
        FileObjectStore a = new FileObjectStore(root);
        FileObjectStore b = new FileObjectStore(dir.resolve("./store"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                FileObjectStore s = t % 2 == 0 ? a : b;
                results.add(pool.submit(() -> {
                    int won = 0;
                    for (int i = 0; i < 100; i++) {
                        if (s.putIfAbsent(String.format("k/~%016x", i), new byte[] {1})) {
                            won++;
                        }
                        s.list("k/~", null, 1000);
                        s.delete(String.format("k/~%016x", Math.max(0, i - 5)));
                    }
                    return won;
                }));
            }
            int total = 0;
            for (java.util.concurrent.Future<Integer> f : results) {
                total += f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(total).isGreaterThanOrEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leftoverTemporaryFiles_areNeverListed() throws IOException {
        FileObjectStore s = new FileObjectStore(dir.resolve("store"));
        s.putIfAbsent("a/~0000000000000001", new byte[] {1});
        Files.write(dir.resolve("store/a/^tmp-1234"), new byte[] {2});
        assertThat(s.list("a/", null, 10).keys()).containsExactly("a/~0000000000000001");
        assertThat(s.list("", null, 10).keys()).containsExactly("a/~0000000000000001");
    }
}
