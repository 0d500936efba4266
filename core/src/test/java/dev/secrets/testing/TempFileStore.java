package dev.secrets.testing;

import dev.secrets.CreateSecretRequest;
import dev.secrets.Label;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A real file store in a temporary folder ({@code store/}, made {@code 0700}), its own random master key
 * {@code default} in a {@code 0600} key file beside it ({@code master.key}, base64), and a client
 * on both to fill it — for the tests of modules that reach the store only through settings
 * ({@code secrets.store}, {@code secrets.key}: the JDBC driver, the Spring starter), so that what
 * the client writes reaches the code under test only through the store, as in production.
 *
 * <p>The store is opened by its URI ({@code file:…}), so the module using this needs
 * {@code secrets-backend-file} on its test class path. The client's configuration is
 * {@link IsolatedConfig}: nothing of the machine's environment or system properties.
 */
public final class TempFileStore implements AutoCloseable {
    private final Path dir;
    private final Path keyFile;
    private final SecretsClient client;

    private TempFileStore(Path dir, Path keyFile) {
        this.dir = dir;
        this.keyFile = keyFile;
        this.client = SecretsClient.builder().config(IsolatedConfig.get()).store(storeUri()).masterKey("default", keyUri()).build();
    }

    /** A store at {@code parent/store} with its key at {@code parent/master.key}; {@code parent} is made if missing. */
    public static TempFileStore in(Path parent) {
        try {
            Files.createDirectories(parent);
            Path keyFile = parent.resolve("master.key");
            KeyFiles.newRandom(keyFile);
            Path dir = Files.createDirectory(parent.resolve("store"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            return new TempFileStore(dir, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A store in a new directory under {@code java.io.tmpdir} (each module's {@code target/} in this build). */
    public static TempFileStore create() {
        try {
            return in(Files.createTempDirectory("secrets-test-store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The store's directory. */
    public Path dir() {
        return dir;
    }

    /** The key file of master key {@code default}. */
    public Path keyFile() {
        return keyFile;
    }

    /** {@code file:} and the store's directory: the value of {@code secrets.store}. */
    public String storeUri() {
        return "file:" + dir;
    }

    /** {@code file:} and the key file: the value of {@code secrets.key}. */
    public String keyUri() {
        return "file:" + keyFile;
    }

    /** {@code secrets.store} and {@code secrets.key} for this store. */
    public Map<String, String> settings() {
        return Map.of("secrets.store", storeUri(), "secrets.key", keyUri());
    }

    /** The client that fills the store (master key {@code default}, default cache). */
    public SecretsClient client() {
        return client;
    }

    /** Creates a secret of {@code kind} with {@code value}; returns the ID of its {@link Label#CURRENT} version. */
    public String create(String id, SecretKind kind, SecretValue value) {
        return client.createSecret(CreateSecretRequest.of(id, kind, value)).versionWith(Label.CURRENT).orElseThrow().versionId();
    }

    @Override
    public void close() {
        client.close();
    }
}
