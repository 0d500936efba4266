package dev.secrets.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/** The smallest application with the starter's auto-configuration (and no other). */
@SpringBootConfiguration
@ImportAutoConfiguration({SecretsAutoConfiguration.class, SecretsHealthAutoConfiguration.class,
        SecretsMetricsAutoConfiguration.class})
class TestApplication {
}
