package dev.secrets.testing;

import dev.secrets.SecretsConfig;
import java.util.Map;
import java.util.Properties;

/**
 * A configuration chain that sees nothing of the machine it runs on: no {@code SECRETS_*}
 * environment variables, no {@code secrets.*} system properties, no {@code secrets.properties} on
 * the class path. Every test (and benchmark) that builds a client starts from here, so a developer's
 * or a CI machine's own settings never change what a test sees.
 */
public final class IsolatedConfig {
    private IsolatedConfig() {
    }

    /** The isolated chain with nothing set. */
    public static SecretsConfig get() {
        return builder().build();
    }

    /** The isolated chain, to add explicit settings to ({@code .set(...)}, {@code .setAll(...)}) before {@code build()}. */
    public static SecretsConfig.Builder builder() {
        return SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false);
    }
}
