package dev.secrets.spring;

import dev.secrets.SecretsClient;

/**
 * Adjusts the {@link SecretsClient.Builder} before the starter builds the application's client:
 * audit sinks, a clock, master keys given as bytes, a principal…
 *
 * <p>Beans of this type are applied, in {@link org.springframework.core.Ordered order}, to the
 * client that the auto-configuration creates. When the application imports secrets with
 * {@code spring.config.import=secrets:…}, the client is created earlier, while the configuration is
 * loaded and before any bean exists; to customize that client, register one customizer in the
 * bootstrap registry:
 * <pre>{@code
 * new SpringApplicationBuilder(App.class)
 *     .addBootstrapRegistryInitializer(r -> r.register(SecretsClientCustomizer.class,
 *             InstanceSupplier.of(b -> b.principal("payments"))))
 *     .run(args);
 * }</pre>
 */
@FunctionalInterface
public interface SecretsClientCustomizer {
    /** Adjusts {@code builder}; called once, on the thread that builds the client. */
    void customize(SecretsClient.Builder builder);
}
