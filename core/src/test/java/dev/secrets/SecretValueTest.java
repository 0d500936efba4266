package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.testing.Canary;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValueTest {
    private static final String CANARY = Canary.VALUE;

    @Test
    void toString_masksEveryKindOfValue() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("username", "app");
        f.put("password", CANARY);
        assertThat(SecretValue.ofFields(f)).hasToString("SecretValue[key/value, fields=[username, password], values masked]");
        assertThat(SecretValue.ofText(CANARY)).hasToString("SecretValue[text, " + CANARY.length() + " bytes, masked]");
        assertThat(SecretValue.ofBytes(CANARY.getBytes(StandardCharsets.UTF_8))).hasToString("SecretValue[binary, " + CANARY.length() + " bytes, masked]");
        SecretVersion v = new SecretVersion(SecretId.of("a"), "v1", java.util.Set.of(Label.CURRENT), java.time.Instant.EPOCH,
                SecretValue.ofText(CANARY));
        assertThat(v.toString()).doesNotContain(CANARY).contains("v1");
        assertThat(CreateSecretRequest.of("a", SecretKind.GENERIC, SecretValue.ofText(CANARY)).toString()).doesNotContain(CANARY);
        assertThat(PutSecretValueRequest.of("a", SecretValue.ofText(CANARY)).toString()).doesNotContain(CANARY);
    }

    @Test
    void keyValue_keepsScalarFieldsInOrder_asText() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("s", "x");
        f.put("i", 5432);
        f.put("l", 1L << 40);
        f.put("d", 1.5);
        f.put("b", true);
        f.put("n", null);
        SecretValue v = SecretValue.ofFields(f);

        assertThat(v.type()).isEqualTo(ValueType.KEY_VALUE);
        assertThat(v.fields().keySet()).containsExactly("s", "i", "l", "d", "b", "n");
        assertThat(v.fields()).containsEntry("s", "x").containsEntry("i", "5432").containsEntry("l", "1099511627776")
                .containsEntry("d", "1.5").containsEntry("b", "true").containsEntry("n", null);
        assertThat(v.field("i")).isEqualTo("5432");
        assertThat(v.findField("n")).isEmpty();
        assertThat(v.findField("missing")).isEmpty();
        assertThat(SecretValue.fromStored(ValueType.KEY_VALUE, v.bytes())).isEqualTo(v);
        assertThatThrownBy(() -> v.field("missing")).isInstanceOf(SecretsException.class).hasMessageContaining("'missing'");
        assertThatThrownBy(() -> v.fields().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keyValue_refusesNestedValues_namingTheField_notTheValue() {
        assertThatThrownBy(() -> SecretValue.ofFields(Map.of("list", List.of(CANARY)))).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("'list'").hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> SecretValue.ofJson("{\"obj\":{\"x\":\"" + CANARY + "\"}}")).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("'obj'").hasMessageContaining("nested object").hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> SecretValue.ofJson("{\"arr\":[1]}")).hasMessageContaining("nested array");
        assertThatThrownBy(() -> SecretValue.ofJson("\"" + CANARY + "\"")).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("not a JSON object").hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> SecretValue.ofJson("{\"a\":\"" + CANARY)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("not valid JSON").hasMessageNotContaining(CANARY).hasNoCause();
    }

    @Test
    void textAndBytes_roundTrip_andAreCopied() {
        String nested = "{\"a\":{\"b\":[1,2]}}";
        assertThat(SecretValue.ofText(nested).text()).isEqualTo(nested);
        assertThat(SecretValue.ofText(nested).type()).isEqualTo(ValueType.TEXT);
        byte[] raw = {0, 1, 2, (byte) 0xff};
        SecretValue b = SecretValue.ofBytes(raw);
        raw[0] = 9;
        assertThat(b.bytes()).containsExactly(0, 1, 2, 0xff);
        b.bytes()[1] = 9;
        assertThat(b.bytes()).containsExactly(0, 1, 2, 0xff);
        assertThat(b.size()).isEqualTo(4);
        assertThatThrownBy(b::text).isInstanceOf(SecretsException.class).hasMessageContaining("binary");
        assertThatThrownBy(() -> SecretValue.ofText("t").fields()).isInstanceOf(SecretsException.class).hasMessageContaining("text");
        assertThat(SecretValue.ofText("t").findField("x")).isEmpty();
    }

    @Test
    void valuesAreAtMost64KiB() {
        assertThat(SecretValue.ofBytes(new byte[65536]).size()).isEqualTo(65536);
        assertThatThrownBy(() -> SecretValue.ofBytes(new byte[65537])).isInstanceOf(InvalidSecretException.class)
                .hasMessage("value is 65537 bytes; at most 65536 (64 KiB) are allowed");
        assertThatThrownBy(() -> SecretValue.ofText("é".repeat(32769))).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("65538 bytes");
    }

    @Test
    void equality_isByTypeAndBytes() {
        assertThat(SecretValue.ofText("a")).isEqualTo(SecretValue.ofText("a")).hasSameHashCodeAs(SecretValue.ofText("a"));
        assertThat(SecretValue.ofText("a")).isNotEqualTo(SecretValue.ofText("b"));
        assertThat(SecretValue.ofText("a")).isNotEqualTo(SecretValue.ofBytes(new byte[] {'a'}));
    }

    @Test
    void kinds_parseByName_andKnowWhichHoldDatabaseCredentials() {
        assertThat(SecretKind.of("RDS")).isEqualTo(SecretKind.RDS);
        assertThat(SecretKind.of(" documentdb ")).isEqualTo(SecretKind.DOCUMENTDB);
        assertThat(SecretKind.of("redshift").isDatabase()).isTrue();
        assertThat(SecretKind.of("database").isDatabase()).isTrue();
        assertThat(SecretKind.of("generic").isDatabase()).isFalse();
        assertThat(SecretKind.values()).hasSize(5);
        assertThatThrownBy(() -> SecretKind.of("vault")).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("rds, documentdb, redshift, database, generic");
    }
}
