package dev.secrets.keys;

import dev.secrets.SecretsClient;
import dev.secrets.file.FileObjectStore;
import dev.secrets.spi.AuditSink;
import dev.secrets.testing.IsolatedConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Clients on a file store with a given key URI, for the key-provider tests (key files: {@code KeyFiles.newRandom}). */
final class KeyFixtures {
    private KeyFixtures() {
    }

    static SecretsClient client(Path store, String keyUri, Map<String, String> env, AuditSink... sinks) {
        SecretsClient.Builder b = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .environment(env::get).store(new FileObjectStore(store)).masterKey("default", keyUri).cacheTtl(Duration.ZERO);
        for (AuditSink s : sinks) {
            b.auditSink(s);
        }
        return b.build();
    }
}
