package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.config.ConfigDataLocation;

class SecretsConfigDataLocationResolverTest {
    private final SecretsConfigDataLocationResolver resolver = new SecretsConfigDataLocationResolver();

    @Test
    void resolvesOnlySecretsLocations() {
        assertThat(resolver.isResolvable(null, ConfigDataLocation.of("secrets:prod/db"))).isTrue();
        assertThat(resolver.isResolvable(null, ConfigDataLocation.of("optional:secrets:prod/db"))).isTrue();
        assertThat(resolver.isResolvable(null, ConfigDataLocation.of("classpath:secrets.properties"))).isFalse();
        assertThat(resolver.isResolvable(null, ConfigDataLocation.of("aws-secretsmanager:prod/db"))).isFalse();
    }

    @Test
    void severalIds_giveOneResourceEach_withTheirOwnPrefix() {
        assertThat(SecretsConfigDataLocationResolver.parse(ConfigDataLocation.of("secrets:prod/db?prefix=app.db.; prod/mail ;prod/key")))
                .containsExactly(new SecretsConfigDataResource("prod/db", "app.db.", false),
                        new SecretsConfigDataResource("prod/mail", "", false),
                        new SecretsConfigDataResource("prod/key", "", false));
    }

    @Test
    void optionalLocation_makesEveryResourceOptional() {
        assertThat(SecretsConfigDataLocationResolver.parse(ConfigDataLocation.of("optional:secrets:a;b")))
                .allSatisfy(r -> assertThat(r.optional()).isTrue());
    }

    @Test
    void emptyLocation_isRefused() {
        assertThatThrownBy(() -> SecretsConfigDataLocationResolver.parse(ConfigDataLocation.of("secrets:;")))
                .hasMessageContaining("no secret ID");
    }

    @Test
    void invalidId_isRefusedNamingTheRule() {
        assertThatThrownBy(() -> SecretsConfigDataLocationResolver.parse(ConfigDataLocation.of("secrets:/prod")))
                .hasMessageContaining("must not start or end with '/'");
    }

    @Test
    void unknownParameter_isRefused() {
        assertThatThrownBy(() -> SecretsConfigDataLocationResolver.parse(ConfigDataLocation.of("secrets:prod/db?version=2")))
                .hasMessageContaining("?prefix=");
    }
}
