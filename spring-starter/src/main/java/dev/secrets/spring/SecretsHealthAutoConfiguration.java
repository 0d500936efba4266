package dev.secrets.spring;

import dev.secrets.SecretsClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link SecretsHealthIndicator} as the health contributor {@code secrets} when Spring
 * Boot's health support is on the class path (it comes with {@code spring-boot-starter-actuator}).
 * Switched off with {@code management.health.secrets.enabled=false}.
 */
@AutoConfiguration(after = SecretsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SecretsClient.class)
@ConditionalOnEnabledHealthIndicator("secrets")
public class SecretsHealthAutoConfiguration {

    /** Health of the store and of its rotations. */
    @Bean
    @ConditionalOnMissingBean(name = "secretsHealthIndicator")
    public SecretsHealthIndicator secretsHealthIndicator(SecretsClient client) {
        return new SecretsHealthIndicator(client);
    }
}
