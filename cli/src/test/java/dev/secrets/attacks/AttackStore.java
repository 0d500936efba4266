package dev.secrets.attacks;

import dev.secrets.SecretsClient;
import dev.secrets.file.FileObjectStore;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.RefusedObjectException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A fresh store of one kind for one attack: the real file store in a temporary directory, or a new
 * bucket on the embedded s3proxy. {@link #open()} is a new handle on the same store (a new
 * "process"); {@link #raw()} is the attacker's own handle, which writes objects directly.
 */
final class AttackStore implements AutoCloseable {
    private final String kind;
    private final Path dir;
    private final String s3Uri;
    private final ObjectStore raw;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private AttackStore(String kind, Path dir, String s3Uri) {
        this.kind = kind;
        this.dir = dir;
        this.s3Uri = s3Uri;
        this.raw = open();
    }

    /** The two kinds, as a JUnit method source: {@code @MethodSource("dev.secrets.attacks.AttackStore#kinds")}. */
    static Stream<String> kinds() {
        return Stream.of("file", "s3");
    }

    static AttackStore of(String kind, Path tempDir) {
        if (kind.equals("file")) {
            return new AttackStore(kind, tempDir.resolve("store"), null);
        }
        return new AttackStore(kind, null, S3ProxyServer.shared().newStoreUri());
    }

    /** The store URI, for what builds its own client (the JDBC driver). */
    String uri() {
        return isFile() ? "file:" + dir : s3Uri;
    }

    boolean isFile() {
        return dir != null;
    }

    /** The directory of a file store. */
    Path dir() {
        return dir;
    }

    ObjectStore open() {
        ObjectStore s = isFile() ? new FileObjectStore(dir) : S3ProxyServer.shared().storeBuilder(s3Uri).build();
        opened.add(s);
        return s;
    }

    ObjectStore raw() {
        return raw;
    }

    /** A client on a new handle of this store holding {@code keys} (name → 32 bytes). */
    SecretsClient client(Map<String, byte[]> keys) {
        SecretsClient.Builder b = builder();
        keys.forEach(b::masterKey);
        return build(b);
    }

    /** A builder on a new handle of this store; build it with {@link #build} so that it is closed. */
    SecretsClient.Builder builder() {
        return SecretsClient.builder().store(open());
    }

    SecretsClient build(SecretsClient.Builder b) {
        SecretsClient c = b.build();
        opened.add(c);
        return c;
    }

    /**
     * Every object of the store but the access dates a read records ({@code access/…}), with a
     * digest of its bytes (null for one the store refuses to read), to show that an attack changed nothing.
     */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        String after = null;
        while (true) {
            var page = raw.list("", after, 1000);
            for (String k : page.keys()) {
                if (k.startsWith("access/")) {
                    continue;
                }
                try {
                    out.put(k, raw.get(k).map(AttackStore::digest).orElse(null));
                } catch (RefusedObjectException e) {
                    out.put(k, null); // a planted object the store will not read
                }
            }
            if (!page.truncated()) {
                return out;
            }
            after = page.keys().get(page.keys().size() - 1);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest generation key of log {@code name} ({@code secrets/ID} or {@code keys/NAME}). */
    String latest(String name) {
        List<String> keys = raw.list(name + "/~", null, 1000).keys();
        return keys.get(keys.size() - 1);
    }

    /** The key of the generation after {@code key}. */
    static String next(String key) {
        int t = key.lastIndexOf("/~");
        long g = Long.parseLong(key.substring(t + 2), 16);
        return key.substring(0, t + 2) + String.format("%016x", g + 1);
    }

    /** Makes every request to the store fail (the attacker's denial of service), keeping nothing. */
    void breakStore() {
        try {
            if (isFile()) {
                Path moved = dir.resolveSibling(dir.getFileName() + "-gone");
                Files.move(dir, moved);
                Files.writeString(dir, "not a directory");
            } else {
                String bucket = s3Uri.substring("s3://".length(), s3Uri.indexOf('?'));
                var admin = S3ProxyServer.shared().admin();
                admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                        .forEach(o -> admin.deleteObject(b -> b.bucket(bucket).key(o.key())));
                admin.deleteBucket(b -> b.bucket(bucket));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeFile(String key, byte[] bytes) {
        try {
            Path p = dir.resolve(key);
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return kind;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }
}
