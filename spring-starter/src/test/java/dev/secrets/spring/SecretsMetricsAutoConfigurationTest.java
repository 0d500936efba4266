package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.SecretsClient;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

class SecretsMetricsAutoConfigurationTest {
    @TempDir
    Path tmp;

    @Test
    void readsOfTheConfigDataClient_areCountedAndTimed_byCacheHitOrMiss() {
        try (FileStore store = FileStore.create(tmp)) {
            store.text("prod/token", "t");
            try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                    store.args("--spring.config.import=secrets:prod/token"))) {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                ctx.getBean(MeterBinder.class).bindTo(registry);
                SecretsClient client = ctx.getBean(SecretsClient.class);

                client.getSecretValue("prod/token"); // cached by the import: a hit
                client.refresh("prod/token");        // from the store: a miss
                assertThatThrownBy(() -> client.getSecretValue("prod/missing"));

                assertThat(registry.get(MicrometerSecretsMetrics.READS).tag("cache", "hit").timer().count()).isEqualTo(1);
                assertThat(registry.get(MicrometerSecretsMetrics.READS).tag("cache", "miss").timer().count()).isEqualTo(1);
                assertThat(registry.get(MicrometerSecretsMetrics.READ_FAILURES).tag("error", "SecretNotFoundException")
                        .counter().count()).isEqualTo(1);
                client.configureRotation("prod/token", dev.secrets.RotationSettings.of("random-password", null));
                client.rotateNow("prod/token");
                assertThat(registry.get(MicrometerSecretsMetrics.ROTATIONS).tag("outcome", "succeeded").counter().count())
                        .isEqualTo(1);
                assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags().toString()).doesNotContain("prod/"));
            }
        }
    }
}
