package dev.secrets.benchmarks;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A durable write of a new version of a 1 KiB value to the file store
 * ({@code client.putSecretValue(id, value)}: read the record, encrypt, write the next generation with
 * write + fsync + link + directory fsync, list once more, delete the previous generation), against a
 * bare write-fsync-rename of a file of the same size (1 KiB), without and with the directory fsync
 * that makes the rename itself durable.
 *
 * <ul>
 *   <li>{@code putSecondVersion}: the secret has one version before the put (a fresh secret is
 *       created, unmeasured, before each operation).
 *   <li>{@code putAtMaxVersions}: the secret already keeps 100 versions, the most it keeps; each put
 *       rewrites all 100 (a generation is the whole state of the secret).
 * </ul>
 *
 * <p>Target: {@code putSecondVersion} ≤ 2 × {@code bareWriteFsyncRename}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FilePutBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FilePutBenchmark {
    static final int VALUE_BYTES = 1024;

    static SecretValue value() {
        byte[] b = new byte[VALUE_BYTES];
        ThreadLocalRandom.current().nextBytes(b);
        return SecretValue.ofBytes(b);
    }

    /** A file store in a temporary directory with a client on it. */
    abstract static class Store {
        Path dir;
        SecretsClient client;
        SecretValue value;

        void open() {
            dir = Fixtures.tempDir("put");
            client = Fixtures.client("file:" + dir);
            value = value();
        }

        @TearDown(Level.Trial)
        public void close() {
            client.close();
            Fixtures.deleteTree(dir);
        }
    }

    /** A store, and a secret with exactly one version, new before each operation. */
    @State(Scope.Thread)
    public static class FreshSecret extends Store {
        int n;
        String id;

        @Setup(Level.Trial)
        public void setUp() {
            open();
        }

        @Setup(Level.Invocation)
        public void create() {
            id = String.format(Locale.ROOT, "fresh-%08d", n++);
            client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, value));
        }
    }

    /** A store, and a secret that keeps 100 versions. */
    @State(Scope.Thread)
    public static class FullSecret extends Store {
        String id = "full";

        @Setup(Level.Trial)
        public void setUp() {
            open();
            client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, value));
            for (int i = 1; i < 100; i++) {
                client.putSecretValue(id, value);
            }
        }
    }

    /** The baseline's directory and bytes. */
    @State(Scope.Thread)
    public static class BareFile {
        Path dir;
        Path target;
        byte[] bytes;
        int n;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Fixtures.tempDir("bare");
            target = dir.resolve("value");
            bytes = value().bytes();
            Files.write(target, bytes);
        }

        @TearDown(Level.Trial)
        public void close() {
            Fixtures.deleteTree(dir);
        }

        void writeFsyncRename() throws IOException {
            Path tmp = dir.resolve(".tmp-" + n++);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        void fsyncDir() throws IOException {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    @Benchmark
    public String putSecondVersion(FreshSecret secret) {
        return secret.client.putSecretValue(secret.id, secret.value);
    }

    @Benchmark
    public String putAtMaxVersions(FullSecret secret) {
        return secret.client.putSecretValue(secret.id, secret.value);
    }

    @Benchmark
    public void bareWriteFsyncRename(BareFile file) throws IOException {
        file.writeFsyncRename();
    }

    @Benchmark
    public void bareWriteFsyncRenameFsyncDir(BareFile file) throws IOException {
        file.writeFsyncRename();
        file.fsyncDir();
    }
}
