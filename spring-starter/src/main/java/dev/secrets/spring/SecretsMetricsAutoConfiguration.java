package dev.secrets.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Binds the starter's clients to Micrometer when it is on the class path (it comes with
 * {@code spring-boot-starter-actuator}): a {@link MeterBinder} that attaches a
 * {@link MicrometerSecretsMetrics} per registry to the {@link SecretsMetricsBridge} the clients were
 * built with. Spring Boot applies {@code MeterBinder} beans to its registries. A {@code SecretsClient}
 * bean the application built itself is not instrumented unless it was built with
 * {@code .metrics(bridge)}.
 */
@AutoConfiguration(after = SecretsAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(SecretsMetricsBridge.class)
public class SecretsMetricsAutoConfiguration {
    /** Attaches each meter registry to the clients' metrics. */
    @Bean
    public MeterBinder secretsMeterBinder(SecretsMetricsBridge bridge) {
        return registry -> bridge.attach(new MicrometerSecretsMetrics(registry));
    }
}
