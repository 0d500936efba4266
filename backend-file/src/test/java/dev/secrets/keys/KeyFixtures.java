package dev.secrets.keys;

import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.file.FileObjectStore;
import dev.secrets.spi.AuditSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/** Clients on a file store with a given key URI, and fresh key files, for the key-provider tests. */
final class KeyFixtures {
    private KeyFixtures() {
    }

    static SecretsClient client(Path store, String keyUri, Map<String, String> env, AuditSink... sinks) {
        SecretsClient.Builder b = SecretsClient.builder()
                .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build())
                .environment(env::get).store(new FileObjectStore(store)).masterKey("default", keyUri).cacheTtl(Duration.ZERO);
        for (AuditSink s : sinks) {
            b.auditSink(s);
        }
        return b.build();
    }

    /** A fresh random 32-byte key in a 0600 file; returns its {@code file:} URI. */
    static String newKeyFile(Path file) throws IOException {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Files.writeString(file, Base64.getEncoder().encodeToString(k));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return "file:" + file;
    }
}
