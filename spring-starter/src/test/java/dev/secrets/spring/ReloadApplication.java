package dev.secrets.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The starter's auto-configuration and one {@code @ConfigurationProperties} bean: no Spring Cloud. */
@SpringBootConfiguration
@ImportAutoConfiguration(SecretsAutoConfiguration.class)
@EnableConfigurationProperties(DbSettings.class)
class ReloadApplication {
}
