package dev.secrets.spring;

import java.util.Objects;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.PropertyPlaceholderHelper;

/**
 * Masks, on Actuator's {@code /actuator/env} and {@code /actuator/configprops} (and every other
 * endpoint that sanitizes through {@link SanitizingFunction}s), every value that came from a
 * {@code spring.config.import=secrets:…}: the properties of a {@link SecretsPropertySource} or a
 * {@link SecretsPrefixPropertySource}, and any other property whose raw value refers to one of them
 * through a placeholder ({@code app.password=${password}}), since Actuator shows placeholders resolved.
 *
 * <p>Spring Boot applies sanitizing functions whenever it would otherwise show a value
 * ({@code management.endpoint.env.show-values} and {@code management.endpoint.configprops.show-values}
 * {@code always}, or {@code when-authorized} for an authorized caller); with {@code never} every value
 * is masked anyway. So an imported secret is masked whatever {@code show-values} says. The key stays
 * visible, with the value {@value SanitizableData#SANITIZED_VALUE}.
 *
 * <p>Registered by {@link SecretsSanitizingAutoConfiguration} when Actuator is on the class path.
 * Thread-safe.
 */
public final class SecretsSanitizingFunction implements SanitizingFunction {
    private static final PropertyPlaceholderHelper PLACEHOLDERS = new PropertyPlaceholderHelper("${", "}", ":", '\\', true);

    private final ConfigurableEnvironment environment;

    /** @param environment the environment whose secrets property sources are looked up for placeholders */
    public SecretsSanitizingFunction(ConfigurableEnvironment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null) {
            return data;
        }
        PropertySource<?> source = data.getPropertySource();
        if (isSecrets(source)) {
            return data.withSanitizedValue();
        }
        if (source != null && refersToSecret(source.getProperty(data.getKey()))) {
            return data.withSanitizedValue();
        }
        return data;
    }

    private static boolean isSecrets(PropertySource<?> source) {
        return source instanceof SecretsPropertySource || source instanceof SecretsPrefixPropertySource;
    }

    /** Whether {@code raw} holds a placeholder (default values included) naming a property a secret provides. */
    private boolean refersToSecret(Object raw) {
        if (!(raw instanceof String s) || !s.contains("${")) {
            return false;
        }
        boolean[] found = {false};
        PLACEHOLDERS.replacePlaceholders(s, name -> {
            for (PropertySource<?> ps : environment.getPropertySources()) {
                if (isSecrets(ps) && ps.containsProperty(name)) {
                    found[0] = true;
                }
            }
            // Unresolved, so that every name in the default values is visited too.
            return null;
        });
        return found[0];
    }
}
