package dev.secrets.spring;

import dev.secrets.SecretsClient;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link SecretsHealthIndicator} as the health contributor {@code secrets} when Spring
 * Boot's health support is on the class path (it comes with {@code spring-boot-starter-actuator}).
 * Switched off with {@code management.health.secrets.enabled=false}; the rotation check is opt-in
 * ({@code management.health.secrets.rotation.enabled=true}) and each result is reused for
 * {@code management.health.secrets.cache.ttl} (default 30 s), see {@link SecretsHealthProperties}.
 */
@AutoConfiguration(after = SecretsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SecretsClient.class)
@ConditionalOnEnabledHealthIndicator("secrets")
@EnableConfigurationProperties(SecretsHealthProperties.class)
public class SecretsHealthAutoConfiguration {

    /** Health of the store and of its rotations. */
    @Bean
    @ConditionalOnMissingBean(name = "secretsHealthIndicator")
    public SecretsHealthIndicator secretsHealthIndicator(SecretsClient client, SecretsHealthProperties properties) {
        return new SecretsHealthIndicator(client, properties.getRotation().isEnabled(), 
                properties.getCache().getTtl() == null ? Duration.ofSeconds(SecretsHealthIndicator.DEFAULT_CACHE_TTL_SECONDS)
                        : properties.getCache().getTtl());
    }
}
