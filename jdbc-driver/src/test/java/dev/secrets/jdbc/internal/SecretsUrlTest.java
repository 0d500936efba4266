package dev.secrets.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SecretsUrlTest {
    @Test
    void urlWithHost_becomesTheRealDriversUrl() throws SQLException {
        SecretsUrl u = SecretsUrl.parse("jdbc:secrets:postgresql://127.0.0.1:5432/app?sslmode=disable");

        assertThat(u.subprotocol()).isEqualTo("postgresql");
        assertThat(u.realUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/app?sslmode=disable");
        assertThat(u.endpointForm()).isFalse();
        assertThat(u.secretId()).isNull();
    }

    @Test
    void subprotocol_isTheFirstSegment_lowerCased() throws SQLException {
        assertThat(SecretsUrl.parse("jdbc:secrets:oracle:thin:@//h:1521/XE").subprotocol()).isEqualTo("oracle");
        assertThat(SecretsUrl.parse("jdbc:secrets:h2:mem:x;MODE=MySQL").subprotocol()).isEqualTo("h2");
        assertThat(SecretsUrl.parse("JDBC:SECRETS:MySQL://h/db").subprotocol()).isEqualTo("mysql");
    }

    @Test
    void bareSubprotocol_isTheEndpointForm_keepingItsParameters() throws SQLException {
        SecretsUrl u = SecretsUrl.parse("jdbc:secrets:postgresql?sslmode=require&ApplicationName=x");

        assertThat(u.endpointForm()).isTrue();
        assertThat(u.subprotocol()).isEqualTo("postgresql");
        assertThat(u.parameters()).isEqualTo("sslmode=require&ApplicationName=x");
        assertThat(SecretsUrl.parse("jdbc:secrets:mariadb").parameters()).isNull();
    }

    @Test
    void secretIdParameter_isTakenOutOfTheRealUrl() throws SQLException {
        assertThat(SecretsUrl.parse("jdbc:secrets:postgresql://h/db?secretId=prod/app").realUrl()).isEqualTo("jdbc:postgresql://h/db");
        SecretsUrl first = SecretsUrl.parse("jdbc:secrets:postgresql://h/db?secretId=prod%2Fapp&sslmode=disable");
        assertThat(first.secretId()).isEqualTo("prod/app");
        assertThat(first.realUrl()).isEqualTo("jdbc:postgresql://h/db?sslmode=disable");
        assertThat(SecretsUrl.parse("jdbc:secrets:postgresql://h/db?a=1&secretId=s&b=2").realUrl()).isEqualTo("jdbc:postgresql://h/db?a=1&b=2");
        assertThat(SecretsUrl.parse("jdbc:secrets:h2:mem:x;secretId=s;MODE=MySQL").realUrl()).isEqualTo("jdbc:h2:mem:x;MODE=MySQL");
        SecretsUrl endpoint = SecretsUrl.parse("jdbc:secrets:postgresql?secretId=s");
        assertThat(endpoint.endpointForm()).isTrue();
        assertThat(endpoint.secretId()).isEqualTo("s");
    }

    @Test
    void acceptsOnlyTheSecretsPrefix() {
        assertThat(SecretsUrl.accepts("jdbc:secrets:postgresql://h/db")).isTrue();
        assertThat(SecretsUrl.accepts("jdbc:postgresql://h/db")).isFalse();
        assertThat(SecretsUrl.accepts("jdbc:secretsmanager:postgresql://h/db")).isFalse();
        assertThat(SecretsUrl.accepts("jdbc:secret")).isFalse();
        assertThat(SecretsUrl.accepts(null)).isFalse();
    }

    @Test
    void nothingAfterThePrefix_isAClearError() {
        assertThatThrownBy(() -> SecretsUrl.parse("jdbc:secrets:"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not name a database");
        assertThatThrownBy(() -> SecretsUrl.parse("jdbc:secrets://h/db"))
                .hasMessageContaining("jdbc:secrets:postgresql://HOST:PORT/DB");
    }

    @Test
    void secretsSettingAsUrlParameter_isRefused_inEveryParameterSyntax() {
        for (String url : new String[] {"jdbc:secrets:postgresql://h/db?secrets.store=file:/tmp/evil",
                "jdbc:secrets:postgresql?sslmode=disable&Secrets.Audit.Log=/tmp/x", "jdbc:secrets:h2:mem:x;secrets.config=/tmp/c"}) {
            assertThatThrownBy(() -> SecretsUrl.parse(url))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("secrets.* settings are read from connection properties or the application's configuration")
                    .hasMessageNotContaining("/tmp")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
        }
    }
}
