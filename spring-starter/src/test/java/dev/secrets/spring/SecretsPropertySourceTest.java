package dev.secrets.spring;

import static dev.secrets.spring.FileStore.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.Label;
import dev.secrets.SecretId;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsPropertySourceTest {
    private static SecretVersion version(String id, String versionId, SecretValue value) {
        return new SecretVersion(SecretId.of(id), versionId, Set.of(Label.CURRENT), Instant.EPOCH, value);
    }

    @Test
    void keyValueSecret_givesOnePropertyPerField_skippingNulls() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("username", "app");
        fields.put("password", CANARY);
        fields.put("port", 5432);
        fields.put("note", null);
        SecretsPropertySource ps = new SecretsPropertySource(version("prod/db", "v1", SecretValue.ofFields(fields)), "");

        assertThat(ps.getPropertyNames()).containsExactly("username", "password", "port");
        assertThat(ps.getProperty("password")).isEqualTo(CANARY);
        assertThat(ps.getProperty("port")).isEqualTo("5432");
        assertThat(ps.containsProperty("note")).isFalse();
        assertThat(ps.getName()).isEqualTo("secrets:prod/db");
    }

    @Test
    void textSecret_isNamedByTheLastSegmentOfItsId() {
        SecretsPropertySource ps = new SecretsPropertySource(version("prod/payments/api-key", "v1", SecretValue.ofText(CANARY)), "");

        assertThat(ps.getPropertyNames()).containsExactly("api-key");
        assertThat(ps.getProperty("api-key")).isEqualTo(CANARY);
    }

    @Test
    void textSecretWithoutSlash_isNamedByItsId() {
        SecretsPropertySource ps = new SecretsPropertySource(version("token", "v1", SecretValue.ofText("t")), "app.");

        assertThat(ps.getPropertyNames()).containsExactly("app.token");
    }

    @Test
    void binarySecret_isBase64UnderTheLastSegment() {
        byte[] bytes = {0, 1, 2, (byte) 255};
        SecretsPropertySource ps = new SecretsPropertySource(version("tls/keystore", "v1", SecretValue.ofBytes(bytes)), "");

        assertThat(ps.getProperty("keystore")).isEqualTo(Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void prefix_isPutBeforeEveryName_andIntoTheSourceName() {
        SecretsPropertySource ps = new SecretsPropertySource(version("prod/db", "v1",
                SecretValue.ofFields(Map.of("username", "app"))), "app.db.");

        assertThat(ps.getPropertyNames()).containsExactly("app.db.username");
        assertThat(ps.getProperty("username")).isNull();
        assertThat(ps.getName()).isEqualTo("secrets:prod/db?prefix=app.db.");
    }

    @Test
    void update_servesTheNewValues_andSaysWhetherTheVersionChanged() {
        SecretsPropertySource ps = new SecretsPropertySource(version("prod/db", "v1",
                SecretValue.ofFields(Map.of("password", "old"))), "");

        assertThat(ps.update(version("prod/db", "v1", SecretValue.ofFields(Map.of("password", "old"))))).isFalse();
        assertThat(ps.update(version("prod/db", "v2", SecretValue.ofFields(Map.of("password", "new", "user", "u"))))).isTrue();

        assertThat(ps.versionId()).isEqualTo("v2");
        assertThat(ps.getProperty("password")).isEqualTo("new");
        assertThat(ps.getPropertyNames()).containsExactlyInAnyOrder("password", "user");
    }

    @Test
    void updateWithAnotherSecretsVersion_isRefused() {
        SecretsPropertySource ps = new SecretsPropertySource(version("prod/db", "v1", SecretValue.ofText("x")), "");

        assertThatThrownBy(() -> ps.update(version("prod/other", "v2", SecretValue.ofText("y"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toString_namesSecretVersionAndFields_butNoValue() {
        SecretsPropertySource ps = new SecretsPropertySource(version("prod/db", "v1",
                SecretValue.ofFields(Map.of("password", CANARY))), "");
        SecretsPropertySource text = new SecretsPropertySource(version("prod/key", "v1", SecretValue.ofText(CANARY)), "");

        assertThat(ps.toString()).contains("prod/db", "v1", "password").doesNotContain(CANARY);
        assertThat(text.toString()).contains("key").doesNotContain(CANARY);
        assertThat(ps.getSource()).isEqualTo("prod/db");
    }

    @Test
    void aNameReservedForTheApplicationsConfiguration_isRefused_evenWhenAPrefixWithoutADotSpellsIt() {
        SecretValue value = SecretValue.ofFields(Map.of("ing.datasource.url", CANARY, "user", "u"));

        assertThatThrownBy(() -> new SecretsPropertySource(version("prod/db", "v1", value), "spr"))
                .isInstanceOf(ReservedPropertyNameException.class)
                .hasMessageContaining("spring.datasource.url").hasMessageNotContaining(CANARY)
                .satisfies(e -> assertThat(((ReservedPropertyNameException) e).names()).containsExactly("spring.datasource.url"));
        assertThat(new SecretsPropertySource(version("prod/db", "v1", value), "spr", true).getProperty("spring.datasource.url"))
                .isEqualTo(CANARY);
    }

    @Test
    void anUpdateThatWouldSetAReservedName_isRefused_andTheOldValuesStay() {
        SecretsPropertySource ps = new SecretsPropertySource(version("prod/app", "v1", SecretValue.ofFields(Map.of("greeting", "hi"))), "");

        assertThatThrownBy(() -> ps.update(version("prod/app", "v2", SecretValue.ofFields(Map.of("logging.level.root", "TRACE")))))
                .isInstanceOf(ReservedPropertyNameException.class);

        assertThat(ps.versionId()).isEqualTo("v1");
        assertThat(ps.getPropertyNames()).containsExactly("greeting");
    }
}
