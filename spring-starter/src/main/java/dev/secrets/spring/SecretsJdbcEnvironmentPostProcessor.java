package dev.secrets.spring;

import dev.secrets.JdbcSettings;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Names the driver class for {@code spring.datasource.url=jdbc:secrets:…}: Spring Boot derives a
 * DataSource's driver class from its URL and does not know the {@code jdbc:secrets:} prefix, so
 * when the application sets no {@code spring.datasource.driver-class-name}, this sets it (as the
 * lowest property source) to {@value #DRIVER_CLASS}, the driver of the {@code secrets-jdbc} module.
 * Without that module on the class path, start-up fails saying that this class cannot be loaded.
 *
 * <p>Registered in {@code META-INF/spring.factories}; not for direct use.
 */
public class SecretsJdbcEnvironmentPostProcessor implements EnvironmentPostProcessor {
    /** The driver class of {@code jdbc:secrets:} URLs. */
    public static final String DRIVER_CLASS = "dev.secrets.jdbc.SecretsDriver";
    /** Name of the property source this adds. */
    public static final String PROPERTY_SOURCE_NAME = "secretsJdbcDriver";

    private static final String URL = "spring.datasource.url";
    private static final String DRIVER = "spring.datasource.driver-class-name";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty(URL);
        if (JdbcSettings.isSecretsUrl(url) && !environment.containsProperty(DRIVER)) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(DRIVER, DRIVER_CLASS)));
        }
    }
}
