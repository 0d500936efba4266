package dev.secrets.spring;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Registers {@link SecretsSanitizingFunction} when Actuator is on the class path, so the values of
 * {@code spring.config.import=secrets:…} are masked on {@code /actuator/env} and
 * {@code /actuator/configprops} whatever {@code show-values} says. Not switched off by
 * {@code secrets.enabled=false}, since imports work without the rest of the auto-configuration.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class SecretsSanitizingAutoConfiguration {

    /** Masks imported secrets on Actuator's endpoints. */
    @Bean
    @ConditionalOnMissingBean(name = "secretsSanitizingFunction")
    public SecretsSanitizingFunction secretsSanitizingFunction(ConfigurableEnvironment environment) {
        return new SecretsSanitizingFunction(environment);
    }
}
