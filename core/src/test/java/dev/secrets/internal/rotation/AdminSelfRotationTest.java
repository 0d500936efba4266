package dev.secrets.internal.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.RotationSettings;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MariaDbServer;
import dev.secrets.testing.MutableClock;
import dev.secrets.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin secret rotates itself: its rotation uses alternating users with itself as the admin
 * secret, so each rotation logs in as the admin user in {@code CURRENT} and changes the other one.
 * Between its rotations it keeps rotating an application secret as that secret's admin.
 */
@ExtendWith({MariaDbServer.class, PostgresServer.class})
class AdminSelfRotationTest {
    private static final int ROTATIONS = 6;

    private final MariaDbServer mariaDb;
    private final PostgresServer postgres;
    private final SecretsClient client;

    AdminSelfRotationTest(MariaDbServer mariaDb, PostgresServer postgres) {
        this.mariaDb = mariaDb;
        this.postgres = postgres;
        SecretsConfig config = IsolatedConfig.get();
        client = SecretsClient.builder().config(config).store(new InMemoryObjectStore()).masterKey("default", new byte[32])
                .clock(MutableClock.atFixedStart()).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private boolean pg(String rotator) {
        return rotator.equals("postgresql");
    }

    private SecretValue value(String rotator, String user, String password) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", pg(rotator) ? postgres.host() : mariaDb.host());
        f.put("port", pg(rotator) ? postgres.port() : mariaDb.port());
        f.put("username", user);
        f.put("password", password);
        return SecretValue.ofFields(f);
    }

    private boolean logsIn(String rotator, SecretVersion v) {
        String url = pg(rotator) ? postgres.jdbcUrl("postgres") : mariaDb.jdbcUrl("");
        try (Connection c = DriverManager.getConnection(url, v.field("username"), v.field("password"))) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private SecretVersion labelled(String id, Label label) {
        return client.getSecretValue(GetSecretValueRequest.of(id).withLabel(label).bypassingCache());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "postgresql"})
    void theAdminSecret_rotatesItself_andKeepsRotatingTheSecretsItAdministers(String rotator) throws SQLException {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String admin = "selfadm_" + suffix;
        String app = "selfapp_" + suffix;
        if (pg(rotator)) {
            postgres.createRole(admin, "admin-Password-1", true);
            postgres.createRole(app, "app-Password-1", true);
            try (Connection c = postgres.adminConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + admin + " CREATEROLE");
            }
        } else {
            mariaDb.createUser(admin, "admin-Password-1");
            mariaDb.createUser(app, "app-Password-1");
            try (Connection c = mariaDb.adminConnection(); Statement s = c.createStatement()) {
                // WITH GRANT OPTION: the admin replays its own grants to its clone.
                s.execute("GRANT CREATE USER, PROCESS ON *.* TO '" + admin + "'@'%' WITH GRANT OPTION");
                s.execute("GRANT SELECT ON mysql.* TO '" + admin + "'@'%' WITH GRANT OPTION");
            }
        }
        String adminId = "self/" + rotator + "-admin";
        String appId = "self/" + rotator + "-app";
        client.createSecret(CreateSecretRequest.of(adminId, SecretKind.DATABASE, value(rotator, admin, "admin-Password-1")));
        client.createSecret(CreateSecretRequest.of(appId, SecretKind.DATABASE, value(rotator, app, "app-Password-1")));
        RotationSettings alternating = RotationSettings.of(rotator, "rate(30 days)").withParameter("strategy", "alternating-users")
                .withParameter("adminSecretId", adminId);
        client.configureRotation(adminId, alternating);
        client.configureRotation(appId, alternating);

        for (int i = 0; i < ROTATIONS; i++) {
            SecretVersion before = labelled(adminId, Label.CURRENT);
            client.rotateNow(adminId);
            SecretVersion now = labelled(adminId, Label.CURRENT);
            assertThat(now.field("username")).isEqualTo(i % 2 == 0 ? admin + "_clone" : admin);
            assertThat(logsIn(rotator, now)).as("rotation %d: the admin's new CURRENT logs in", i).isTrue();
            assertThat(logsIn(rotator, before)).as("rotation %d: PREVIOUS still logs in", i).isTrue();

            client.rotateNow(appId);
            assertThat(logsIn(rotator, labelled(appId, Label.CURRENT)))
                    .as("rotation %d: the app secret was rotated by the admin's new CURRENT", i).isTrue();
        }
    }
}
