package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.testing.Canary;
import dev.secrets.testing.TempFileStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Core's {@link TempFileStore} (a file store in a temporary folder with its own master key, and an
 * admin client on it: the "rotator" side) with what the driver's tests add: the connection
 * properties that point the driver at it, database secrets, and canary checks over exception
 * chains. The driver builds its own client from those properties, so the admin client's writes
 * reach the driver only through the store, as in production.
 */
final class TestStore {
    final TempFileStore files;
    final SecretsClient admin;

    private TestStore(TempFileStore files) {
        this.files = files;
        this.admin = files.client();
    }

    static TestStore create() {
        return new TestStore(TempFileStore.create());
    }

    String storeUri() {
        return files.storeUri();
    }

    String keyUri() {
        return files.keyUri();
    }

    /** {@code secrets.store} and {@code secrets.key} for this store. */
    Map<String, String> settings() {
        return files.settings();
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
        files.create(id, SecretKind.DATABASE, SecretValue.ofFields(fields));
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
