package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.spi.SecretsMetrics;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The metrics hooks of a client on an in-memory store (the store does not matter here: the file and S3 stores are checked by the client contract). */
class SecretsMetricsTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    /** Keeps every call as a line. */
    static final class KeepingMetrics implements SecretsMetrics {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void read(String secretId, boolean cacheHit, long nanos) {
            assertThat(nanos).isPositive();
            calls.add("read " + secretId + (cacheHit ? " hit" : " miss"));
        }

        @Override
        public void readFailed(String secretId, String errorClass, long nanos) {
            calls.add("failed " + secretId + " " + errorClass);
        }
    }

    @Test
    void readsReportCacheHitsMissesAndFailures() {
        KeepingMetrics metrics = new KeepingMetrics();
        AtomicLong ticks = new AtomicLong();
        byte[] root = new byte[32];
        new SecureRandom().nextBytes(root);
        SecretsConfig cfg = IsolatedConfig.get();
        try (SecretsClient c = SecretsClient.builder().config(cfg).store(store).masterKey("default", root)
                .ticker(() -> ticks.addAndGet(1_000)).metrics(metrics).build()) {
            c.createSecret(CreateSecretRequest.of("app/db", SecretKind.GENERIC, SecretValue.ofText("x")).withToken("v1"));

            c.getSecretValue("app/db");
            c.getSecretValue("app/db");
            c.getSecretValue(GetSecretValueRequest.of("app/db").withVersionId("v1"));
            c.getSecretValue(GetSecretValueRequest.of("app/db").withVersionId("v1"));
            c.refresh("app/db");
            assertThatThrownBy(() -> c.getSecretValue("app/missing")).isInstanceOf(SecretNotFoundException.class);

            assertThat(metrics.calls).containsExactly("read app/db miss", "read app/db hit", "read app/db hit", "read app/db hit",
                    "read app/db miss", "failed app/missing SecretNotFoundException");
        }
    }

    @Test
    void aClientWithoutMetrics_usesTheNoOpListener() {
        byte[] root = new byte[32];
        new SecureRandom().nextBytes(root);
        SecretsConfig cfg = IsolatedConfig.get();
        try (SecretsClient c = SecretsClient.builder().config(cfg).store(store).masterKey("default", root).build()) {
            assertThat(c.engine().metrics()).isSameAs(SecretsMetrics.NONE);
        }
    }
}
