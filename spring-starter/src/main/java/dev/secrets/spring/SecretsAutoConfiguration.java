package dev.secrets.spring;

import dev.secrets.SecretsClient;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configuration of {@code secrets}: a {@link SecretsClient} bean and, when
 * {@code secrets.watch.enabled=true}, a {@link SecretsWatcher}. Switched off with
 * {@code secrets.enabled=false}.
 *
 * <p>The client bean is, in this order: one the application defines itself; the client that
 * loaded {@code spring.config.import=secrets:…} (promoted from the bootstrap context, so there is
 * one client and one cache); or a client built here from {@link SecretsProperties} and the
 * {@link SecretsClientCustomizer} beans.
 */
@AutoConfiguration
@ConditionalOnClass(SecretsClient.class)
@ConditionalOnProperty(prefix = SecretsProperties.CONFIG_PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SecretsProperties.class)
public class SecretsAutoConfiguration {

    /** The application's client, closed with the context. */
    @Bean
    @ConditionalOnMissingBean
    public SecretsClient secretsClient(SecretsProperties properties, ObjectProvider<SecretsClientCustomizer> customizers,
                                       SecretsMetricsBridge metrics) {
        return buildClient(properties, customizers.orderedStream().toList(), metrics);
    }

    /** Where the client's counters and timers go; meter registries attach to it when Micrometer is present. */
    @Bean
    @ConditionalOnMissingBean
    public SecretsMetricsBridge secretsMetricsBridge() {
        return new SecretsMetricsBridge();
    }

    /** Polls the imported secrets for a change of their {@code CURRENT} version. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = SecretsProperties.CONFIG_PREFIX + ".watch", name = "enabled", havingValue = "true")
    public SecretsWatcher secretsWatcher(SecretsClient client, ConfigurableEnvironment environment,
                                         ApplicationEventPublisher publisher, SecretsProperties properties) {
        return new SecretsWatcher(client, environment, publisher, properties.getWatch().getInterval());
    }

    /**
     * Builds a client from {@code properties} (the explicit layer of the chain) reporting to
     * {@code metrics}, then applies {@code customizers} in order.
     */
    static SecretsClient buildClient(SecretsProperties properties, List<SecretsClientCustomizer> customizers,
                                     SecretsMetricsBridge metrics) {
        SecretsClient.Builder builder = SecretsClient.builder().config(properties.toSecretsConfig()).metrics(metrics);
        customizers.forEach(c -> c.customize(builder));
        return builder.build();
    }
}
