package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

class SecretsJdbcEnvironmentPostProcessorTest {
    @Test
    void secretsUrl_withoutDriverClass_getsTheSecretsDriver() {
        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class, "--secrets.enabled=false",
                "--spring.datasource.url=jdbc:secrets:postgresql://db:5432/app")) {
            assertThat(ctx.getEnvironment().getProperty("spring.datasource.driver-class-name"))
                    .isEqualTo("dev.secrets.jdbc.SecretsDriver");
        }
    }

    @Test
    void driverClassSetByTheApplication_isKept() {
        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class, "--secrets.enabled=false",
                "--spring.datasource.url=jdbc:secrets:postgresql://db:5432/app", "--spring.datasource.driver-class-name=com.example.Own")) {
            assertThat(ctx.getEnvironment().getProperty("spring.datasource.driver-class-name")).isEqualTo("com.example.Own");
        }
    }

    @Test
    void otherUrls_areLeftAlone() {
        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class, "--secrets.enabled=false",
                "--spring.datasource.url=jdbc:postgresql://db:5432/app")) {
            assertThat(ctx.getEnvironment().getProperty("spring.datasource.driver-class-name")).isNull();
        }
    }
}
