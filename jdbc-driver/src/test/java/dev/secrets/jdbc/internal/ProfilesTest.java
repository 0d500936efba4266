package dev.secrets.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.JdbcSettings;
import dev.secrets.SecretsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {
    @TempDir
    Path dir;

    private final Profiles profiles = new Profiles();

    private Map<String, String> store(String name) throws Exception {
        Path key = dir.resolve(name + ".key");
        Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new HashMap<>(Map.of("secrets.store", "file:" + dir.resolve(name), "secrets.key", "file:" + key));
    }

    @Test
    void sameSettings_shareOneClient() throws Exception {
        Map<String, String> a = store("a");

        assertThat(profiles.forSettings(a).client()).isSameAs(profiles.forSettings(new HashMap<>(a)).client());
        assertThat(profiles.forSettings(a).client()).isNotSameAs(profiles.forSettings(store("b")).client());
    }

    @Test
    void jdbcSettings_makeAnotherProfile_onTheSameClient() throws Exception {
        Map<String, String> a = store("a");
        Map<String, String> tuned = new HashMap<>(a);
        tuned.put(JdbcSettings.MAX_RETRIES, "3");
        tuned.put(JdbcSettings.RETRY_BUDGET, "2s");
        tuned.put(JdbcSettings.PASSWORD_FIELD, "pass");

        Profile plain = profiles.forSettings(a);
        Profile custom = profiles.forSettings(tuned);

        assertThat(custom.client()).isSameAs(plain.client());
        assertThat(plain.maxRetries()).isEqualTo(8);
        assertThat(plain.retryBudget()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plain.usernameField()).isEqualTo("username");
        assertThat(plain.passwordField()).isEqualTo("password");
        assertThat(custom.maxRetries()).isEqualTo(3);
        assertThat(custom.retryBudget()).isEqualTo(Duration.ofSeconds(2));
        assertThat(custom.passwordField()).isEqualTo("pass");
    }

    @Test
    void badSetting_isAnSqlExceptionNamingIt() throws Exception {
        Map<String, String> bad = store("a");
        bad.put(JdbcSettings.MAX_RETRIES, "many");

        assertThatThrownBy(() -> profiles.forSettings(bad))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("secrets.jdbc.max-retries");
    }

    @Test
    void split_keepsSecretsPropertiesAsSettings_andPassesTheRestButTheSkippedOnes() {
        Properties info = new Properties();
        info.setProperty("user", "id");
        info.setProperty("password", "not-for-the-driver");
        info.setProperty("sslmode", "disable");
        info.setProperty("secrets.store", "file:/x");
        Properties pass = new Properties();

        assertThat(Profiles.split(info, pass, java.util.Set.of("user", "password"))).containsExactly(Map.entry("secrets.store", "file:/x"));
        assertThat(pass).containsExactly(Map.entry("sslmode", "disable"));
    }

    /** Profiles whose application configuration (system properties, environment, files) is exactly {@code own}. */
    private static Profiles withApplication(Map<String, String> own) {
        return new Profiles(() -> SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false)
                .setAll(own).build());
    }

    @Test
    void connectionProperties_fillInTheStore_whenTheApplicationSetsNone() throws Exception {
        Map<String, String> settings = store("a");

        assertThat(withApplication(Map.of()).forSettings(settings).store()).isEqualTo(settings.get("secrets.store"));
        assertThat(withApplication(Map.of("secrets.store", settings.get("secrets.store"))).forSettings(settings).store())
                .as("the same value as the application's").isEqualTo(settings.get("secrets.store"));
    }

    @Test
    void connectionProperties_neverRedirectTheApplicationsStoreConfigOrAuditLog() throws Exception {
        Map<String, String> app = store("app");
        app.put("secrets.audit.log", dir.resolve("app-audit.log").toString());
        Path appConfig = Files.writeString(dir.resolve("app.properties"), "secrets.cache.ttl=1m\n");
        app.put("secrets.config", appConfig.toString());
        Profiles profiles = withApplication(app);

        Map<String, String> otherStore = store("attacker");
        Map<String, String> otherLog = new HashMap<>(Map.of("secrets.audit.log", dir.resolve("evil.log").toString()));
        Map<String, String> otherConfig = new HashMap<>(Map.of("secrets.config", Files.writeString(dir.resolve("evil.properties"), "").toString()));
        for (Map<String, String> attack : java.util.List.of(otherStore, otherLog, otherConfig)) {
            String key = attack.keySet().stream().filter(k -> !k.equals("secrets.key")).findFirst().orElseThrow();
            assertThatThrownBy(() -> profiles.forSettings(attack))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("refused the connection property " + key)
                    .hasMessageContaining("secrets.jdbc.connection-overrides=always")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
        }
        assertThat(dir.resolve("evil.log")).doesNotExist();
    }

    @Test
    void never_refusesEvenAFillIn_andAlways_allowsARedirect() throws Exception {
        Map<String, String> settings = store("a");
        assertThatThrownBy(() -> withApplication(Map.of("secrets.jdbc.connection-overrides", "never")).forSettings(settings))
                .hasMessageContaining("secrets.jdbc.connection-overrides=never");

        Map<String, String> app = store("app");
        app.put("secrets.jdbc.connection-overrides", "always");
        assertThat(withApplication(app).forSettings(settings).store()).isEqualTo(settings.get("secrets.store"));

        assertThatThrownBy(() -> withApplication(Map.of("secrets.jdbc.connection-overrides", "sometimes")).forSettings(settings))
                .hasMessageContaining("write if-unset, never or always");
    }

    @Test
    void overridesSetting_inAConnectionProperty_isNotTheApplications() throws Exception {
        Map<String, String> app = store("app");
        Map<String, String> attack = store("attacker");
        attack.put("secrets.jdbc.connection-overrides", "always");

        assertThatThrownBy(() -> withApplication(app).forSettings(attack)).hasMessageContaining("refused the connection property secrets.store");
    }
}
