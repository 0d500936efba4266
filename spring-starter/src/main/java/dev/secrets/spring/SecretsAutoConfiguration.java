package dev.secrets.spring;

import dev.secrets.SecretsClient;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configuration of {@code secrets}: a {@link SecretsClient} bean and, when
 * {@code secrets.reload.strategy} is not {@code none}, a {@link SecretsWatcher}. Switched off with
 * {@code secrets.enabled=false}.
 *
 * <p>The client bean is, in this order: one the application defines itself; the client that
 * loaded {@code spring.config.import=secrets:…} (promoted from the bootstrap context, so there is
 * one client and one cache); or a client built here from {@link SecretsProperties} and the
 * {@link SecretsClientCustomizer} beans.
 */
@AutoConfiguration(afterName = {"org.springframework.cloud.autoconfigure.RefreshAutoConfiguration",
        "org.springframework.cloud.autoconfigure.RefreshEndpointAutoConfiguration"})
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

    /**
     * Polls the imported secrets for a change of their {@code CURRENT} version and applies
     * {@code secrets.reload.strategy} (any but {@code none}; {@code secrets.watch.enabled=true} is {@code event}).
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(ReloadEnabledCondition.class)
    public SecretsWatcher secretsWatcher(SecretsClient client, ConfigurableApplicationContext context,
                                         SecretsProperties properties) {
        return new SecretsWatcher(client, context.getEnvironment(), context, properties.effectiveReloadPeriod(),
                new SecretsReloader(properties.effectiveReloadStrategy(), context));
    }

    /** True when {@code secrets.reload.strategy} is set to other than none, or {@code secrets.watch.enabled=true}. */
    static final class ReloadEnabledCondition extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            SecretsProperties p = Binder.get(context.getEnvironment()).bind(SecretsProperties.CONFIG_PREFIX, SecretsProperties.class)
                    .orElseGet(SecretsProperties::new);
            ReloadStrategy s = p.effectiveReloadStrategy();
            return s == ReloadStrategy.NONE ? ConditionOutcome.noMatch("secrets.reload.strategy is none")
                    : ConditionOutcome.match("secrets.reload.strategy is " + s.name().toLowerCase(java.util.Locale.ROOT));
        }
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
