package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SecretsDataSourceAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecretsDataSourceAutoConfiguration.class))
            .withPropertyValues("secrets.store=file:/srv/secrets", "secrets.key=env:APP_KEY", "secrets.keys.team-a=env:TEAM_A_KEY");

    @Test
    void secretsPool_getsTheStoreSettingsAsDataSourceProperties_keepingItsOwn() {
        runner.withUserConfiguration(Pools.class).run(ctx -> {
            HikariDataSource secrets = ctx.getBean("secretsPool", HikariDataSource.class);
            assertThat(secrets.getDataSourceProperties())
                    .containsEntry("secrets.store", "file:/srv/secrets")
                    .containsEntry("secrets.keys.team-a", "env:TEAM_A_KEY")
                    .containsEntry("secrets.key", "env:OWN_KEY");
        });
    }

    @Test
    void otherPools_areLeftAlone() {
        runner.withUserConfiguration(Pools.class).run(ctx -> {
            HikariDataSource plain = ctx.getBean("plainPool", HikariDataSource.class);
            assertThat(plain.getDataSourceProperties()).isEmpty();
        });
    }

    @Test
    void storeSettingsReachThePool_evenWithTheStarterDisabled() {
        runner.withUserConfiguration(Pools.class).withPropertyValues("secrets.enabled=false").run(ctx ->
                assertThat(ctx.getBean("secretsPool", HikariDataSource.class).getDataSourceProperties())
                        .containsEntry("secrets.store", "file:/srv/secrets"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Pools {
        @Bean
        HikariDataSource secretsPool() {
            HikariDataSource ds = new HikariDataSource();
            ds.setJdbcUrl("jdbc:secrets:postgresql://127.0.0.1:1/app");
            ds.addDataSourceProperty("secrets.key", "env:OWN_KEY");
            return ds;
        }

        @Bean
        HikariDataSource plainPool() {
            HikariDataSource ds = new HikariDataSource();
            ds.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/app");
            return ds;
        }
    }
}
