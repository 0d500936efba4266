package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.testing.Canary;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A file store in a temporary folder with its own master key, an admin client on it (the "rotator"
 * side), and the connection properties that point the driver at it. The driver builds its own
 * client from those properties, so the admin client's writes reach the driver only through the
 * store, as in production.
 */
final class TestStore {
    final Path storeDir;
    final Path keyFile;
    final SecretsClient admin;

    private TestStore(Path storeDir, Path keyFile) {
        this.storeDir = storeDir;
        this.keyFile = keyFile;
        this.admin = SecretsClient.builder().store(storeUri()).masterKey("default", keyUri()).build();
    }

    static TestStore create() {
        try {
            Path dir = Files.createTempDirectory("secrets-jdbc-test");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path keyFile = dir.resolve("master.key");
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key));
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            return new TestStore(dir.resolve("store"), keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String storeUri() {
        return "file:" + storeDir;
    }

    String keyUri() {
        return "file:" + keyFile;
    }

    /** {@code secrets.store} and {@code secrets.key} for this store. */
    Map<String, String> settings() {
        return Map.of("secrets.store", storeUri(), "secrets.key", keyUri());
    }

    /** Connection properties: the store settings and {@code user} = the secret ID. */
    Properties props(String secretId) {
        Properties p = new Properties();
        p.putAll(settings());
        p.setProperty("user", secretId);
        return p;
    }

    /** Creates a database secret with these credentials (and optional endpoint fields). */
    void createDatabaseSecret(String id, Map<String, String> fields) {
        admin.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, SecretValue.ofFields(fields)));
    }

    void createDatabaseSecret(String id, String username, String password) {
        createDatabaseSecret(id, Map.of("username", username, "password", password));
    }

    /** A new CURRENT value. */
    void put(String id, String username, String password) {
        admin.putSecretValue(id, SecretValue.ofFields(Map.of("username", username, "password", password)));
    }

    /** Asserts that no message, cause, suppressed or next exception of {@code t} contains {@code canary}. */
    static void assertNoCanary(Throwable t, String canary) {
        for (Throwable x : everything(t)) {
            assertThat(String.valueOf(x.getMessage())).as("message of %s", x.getClass().getName()).doesNotContain(canary);
            assertThat(x.toString()).doesNotContain(canary);
        }
    }

    private static List<Throwable> everything(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> out = new ArrayList<>();
        List<Throwable> todo = new ArrayList<>(List.of(t));
        while (!todo.isEmpty()) {
            Throwable x = todo.remove(todo.size() - 1);
            if (x == null || !seen.add(x)) {
                continue;
            }
            out.add(x);
            todo.add(x.getCause());
            todo.addAll(List.of(x.getSuppressed()));
            if (x instanceof java.sql.SQLException) {
                todo.add(((java.sql.SQLException) x).getNextException());
            }
        }
        return out;
    }

    /** A password that tests search for in every message: it must never appear. */
    static String canary() {
        return Canary.with(Long.toHexString(new SecureRandom().nextLong()) + "-pw");
    }
}
