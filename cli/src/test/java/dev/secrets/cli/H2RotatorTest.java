package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.RotationSettings;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.IsolatedConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code h2} rotator on a real embedded H2 database and a file store, through the rotation engine. */
class H2RotatorTest {
    private static final String ID = "test/h2";

    @TempDir
    Path dir;

    private String url;
    private Connection keepAlive;
    private SecretsClient client;

    @BeforeEach
    void databaseAndSecret() throws SQLException {
        url = "jdbc:h2:mem:" + dir.getFileName(); // kept open by keepAlive; DB_CLOSE_DELAY would need admin rights
        keepAlive = DriverManager.getConnection(url, "sa", "admin-pw");
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE USER app PASSWORD 'first-pw'");
        }
        SecretsConfig cfg = IsolatedConfig.builder()
                .set(SecretsConfig.STORE, "file:" + dir.resolve("store")).build();
        client = SecretsClient.builder().config(cfg).masterKey("default", new byte[32]).build();
        client.createSecret(CreateSecretRequest.of(ID, SecretKind.DATABASE,
                SecretValue.ofFields(Map.of("engine", "h2", "username", "app", "password", "first-pw"))));
    }

    @AfterEach
    void close() throws SQLException {
        client.close();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private boolean logsIn(String password) {
        try (Connection c = DriverManager.getConnection(url, "app", password)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Test
    void rotateNow_changesThePasswordInTheDatabaseAndMakesItCurrent() {
        client.configureRotation(ID, RotationSettings.of("h2", null).withParameter(H2Rotator.URL, url));
        String version = client.rotateNow(ID);

        SecretVersion current = client.refresh(ID);
        assertThat(current.versionId()).isEqualTo(version);
        assertThat(current.field("password")).isNotEqualTo("first-pw").hasSize(32);
        assertThat(logsIn(current.field("password"))).isTrue();
        assertThat(logsIn("first-pw")).isFalse();
        assertThat(client.describeSecret(ID).versionWith(Label.PREVIOUS)).isPresent();
    }

    @Test
    void aSecondRotation_startsFromTheNewPassword() {
        client.configureRotation(ID, RotationSettings.of("h2", null).withParameter(H2Rotator.URL, url));
        client.rotateNow(ID);
        String second = client.rotateNow(ID);
        assertThat(logsIn(client.refresh(ID).field("password"))).isTrue();
        assertThat(client.refresh(ID).versionId()).isEqualTo(second);
    }

    @Test
    void settingsWithoutAnH2Url_areRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> client.configureRotation(ID, RotationSettings.of("h2", null)))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("url=jdbc:h2:");
        assertThat(client.describeSecret(ID).rotation()).isNull();
    }
}
