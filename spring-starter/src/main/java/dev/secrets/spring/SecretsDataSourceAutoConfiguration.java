package dev.secrets.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.DatabaseCredentials;
import dev.secrets.JdbcSettings;
import dev.secrets.SecretsClient;
import dev.secrets.jdbc.SecretCredentialsProvider;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Makes {@code spring.datasource.url=jdbc:secrets:…} use the store configured with the Spring
 * properties {@code secrets.*}: the {@code jdbc:secrets:} driver reads its store and keys from its
 * connection properties, so every {@code secrets.*} setting of {@link SecretsProperties} is added to
 * the data source properties of each HikariCP pool whose JDBC URL starts with {@code jdbc:secrets:}
 * (a data source property the application set itself is kept). Applied before the pool opens its
 * first connection. {@link SecretsJdbcEnvironmentPostProcessor} names the driver class for Boot.
 */
@AutoConfiguration(after = SecretsAutoConfiguration.class)
@ConditionalOnClass(HikariDataSource.class)
public class SecretsDataSourceAutoConfiguration {
    /** Hands the {@code secrets.*} settings to {@code jdbc:secrets:} pools. */
    @Bean
    public static BeanPostProcessor secretsHikariDataSourcePostProcessor(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource ds && JdbcSettings.isSecretsUrl(ds.getJdbcUrl())) {
                    Map<String, String> settings = bind(environment).toConfigSettings();
                    settings.forEach((k, v) -> {
                        if (!ds.getDataSourceProperties().containsKey(k)) {
                            ds.addDataSourceProperty(k, v);
                        }
                    });
                }
                return bean;
            }
        };
    }

    // Bound here rather than injected, so that it works with secrets.enabled=false too, and early.
    static SecretsProperties bind(Environment environment) {
        return Binder.get(environment).bind(SecretsProperties.CONFIG_PREFIX, Bindable.of(SecretsProperties.class))
                .orElseGet(SecretsProperties::new);
    }

    /**
     * The HikariCP credentials-provider route: with {@code secrets.jdbc.secret-id} set, Boot's
     * DataSource (bean {@code dataSource}) on the database's own URL gets a
     * {@link SecretCredentialsProvider} over the application's {@link SecretsClient}, so each new
     * physical connection uses the secret's current user name and password, and only when the
     * pool's URL names the secret's {@code host}/{@code port} (if it holds them). A credentials
     * provider the application set itself is kept.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.secrets.jdbc.SecretCredentialsProvider")
    static class CredentialsProviderConfiguration {
        @Bean
        static BeanPostProcessor secretsHikariCredentialsProviderPostProcessor(Environment environment,
                                                                                 ObjectProvider<SecretsClient> client) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof HikariDataSource ds && "dataSource".equals(beanName) && ds.getCredentialsProvider() == null
                            && !JdbcSettings.isSecretsUrl(ds.getJdbcUrl())) {
                        SecretsProperties.Jdbc jdbc = bind(environment).getJdbc();
                        if (jdbc.getSecretId() != null && !jdbc.getSecretId().isBlank()) {
                            ds.setCredentialsProvider(new SecretCredentialsProvider(client.getObject(), jdbc.getSecretId(),
                                    jdbc.getUsernameField() == null ? DatabaseCredentials.USERNAME : jdbc.getUsernameField(),
                                    jdbc.getPasswordField() == null ? DatabaseCredentials.PASSWORD : jdbc.getPasswordField())
                                    .forPool(ds));
                        }
                    }
                    return bean;
                }
            };
        }
    }
}
