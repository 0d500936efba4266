package dev.secrets.internal.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.RotationDescription;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationSettings;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MariaDbServer;
import dev.secrets.testing.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cancel (AWS CancelRotateSecret) during each step of a {@code mysql} rotation against real MariaDB,
 * both strategies: the running rotation stops at its next step boundary, the database is set back
 * to the stored credentials, {@code PENDING} is removed, the schedule is off, and a later rotation
 * starts fresh. Also a cancel of a rotation that stopped part-way (no runner).
 */
@ExtendWith(MariaDbServer.class)
class CancelRotationTest {
    private static final byte[] KEY = new byte[32];

    private final MariaDbServer mariaDb;
    private final FaultInjectingRotator rotator = new FaultInjectingRotator("cancel-mysql", new MySqlRotator());
    private final SecretsClient client;

    CancelRotationTest(MariaDbServer mariaDb) {
        this.mariaDb = mariaDb;
        SecretsConfig config = IsolatedConfig.get();
        client = SecretsClient.builder().config(config).store(new InMemoryObjectStore()).masterKey("default", KEY)
                .clock(MutableClock.atFixedStart()).rotator(rotator).build();
    }

    @AfterEach
    void close() {
        rotator.release();
        client.close();
    }

    private SecretValue value(String user, String password) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", mariaDb.host());
        f.put("port", mariaDb.port());
        f.put("username", user);
        f.put("password", password);
        return SecretValue.ofFields(f);
    }

    private boolean logsIn(SecretVersion v) {
        try (Connection c = DriverManager.getConnection(mariaDb.jdbcUrl(""), v.field("username"), v.field("password"))) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private SecretVersion labelled(String id, Label label) {
        return client.getSecretValue(GetSecretValueRequest.of(id).withLabel(label).bypassingCache());
    }

    /** A secret set up for {@code strategy}, rotated once when alternating so that PREVIOUS is the user to change. */
    private String secret(String strategy) throws SQLException {
        String user = "cancel_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        mariaDb.createUser(user, "initial-Password-1");
        String id = "cancel/" + user;
        client.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, value(user, "initial-Password-1")));
        RotationSettings settings = RotationSettings.of("cancel-mysql", "rate(30 days)").withParameter("strategy", strategy);
        if (strategy.equals("alternating-users")) {
            String admin = user + "_adm";
            mariaDb.createUser(admin, "admin-Password-1");
            try (Connection c = mariaDb.adminConnection(); Statement s = c.createStatement()) {
                s.execute("GRANT CREATE USER, PROCESS ON *.* TO '" + admin + "'@'%'");
                s.execute("GRANT SELECT ON mysql.* TO '" + admin + "'@'%'");
            }
            client.createSecret(CreateSecretRequest.of(id + "-admin", SecretKind.DATABASE, value(admin, "admin-Password-1")));
            settings = settings.withParameter("adminSecretId", id + "-admin");
        }
        client.configureRotation(id, settings);
        if (strategy.equals("alternating-users")) {
            client.rotateNow(id);
        }
        return id;
    }

    @ParameterizedTest
    @CsvSource({"single-user,createSecret", "single-user,setSecret", "single-user,testSecret", "single-user,finishSecret",
            "alternating-users,createSecret", "alternating-users,setSecret", "alternating-users,testSecret",
            "alternating-users,finishSecret"})
    void cancelDuringAStep_leavesStoreAndDatabaseInAgreement_andTheNextRotationStartsFresh(String strategy, String step)
            throws Exception {
        String id = secret(strategy);
        SecretVersion current = labelled(id, Label.CURRENT);
        SecretVersion previous = strategy.equals("alternating-users") ? labelled(id, Label.PREVIOUS) : null;
        rotator.blockAfter(step);
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> client.rotateNow(id));
        assertThat(rotator.awaitBlocked(60)).isTrue();
        String token = client.describeSecret(id).rotation().pendingVersion();

        RotationDescription requested = client.cancelRotation(id);
        assertThat(requested.enabled()).isFalse();
        rotator.release();

        boolean last = step.equals("finishSecret");
        if (last) {
            assertThat(running.get(60, TimeUnit.SECONDS)).as("its last step ran: the rotation completes").isEqualTo(token);
        } else {
            assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(RotationFailedException.class)
                    .hasMessageContaining("cancelled after step " + step);
        }

        SecretDescription d = client.describeSecret(id);
        assertThat(d.versionWith(Label.PENDING)).as("PENDING is removed").isEmpty();
        assertThat(d.rotation().pendingVersion()).isNull();
        assertThat(d.rotation().enabled()).isFalse();
        assertThat(d.rotation().nextRotation()).isNull();
        SecretVersion now = labelled(id, Label.CURRENT);
        assertThat(logsIn(now)).as("CURRENT logs in").isTrue();
        if (!last) {
            assertThat(now.versionId()).isEqualTo(current.versionId());
            assertThat(d.rotation().lastOutcome()).isEqualTo("cancelled");
            SecretVersion cancelled = client.getSecretValue(GetSecretValueRequest.of(id).withVersionId(token));
            assertThat(cancelled.labels()).isEmpty();
            if (strategy.equals("single-user")) {
                assertThat(logsIn(cancelled)).as("the database no longer takes the cancelled password").isFalse();
            } else {
                assertThat(logsIn(previous)).as("PREVIOUS logs in again").isTrue();
            }
        }

        String fresh = client.rotateNow(id);
        assertThat(fresh).as("a fresh rotation, with a new token").isNotEqualTo(token);
        assertThat(logsIn(labelled(id, Label.CURRENT))).isTrue();
        assertThat(labelled(id, Label.PREVIOUS).versionId()).isEqualTo(now.versionId());
    }

    @ParameterizedTest
    @CsvSource({"single-user", "alternating-users"})
    void cancelOfARotationThatStoppedPartWay_completesAtOnce(String strategy) throws Exception {
        String id = secret(strategy);
        SecretVersion current = labelled(id, Label.CURRENT);
        rotator.failOnceAfter("testSecret");
        assertThatThrownBy(() -> client.rotateNow(id)).isInstanceOf(RotationFailedException.class);
        String token = client.describeSecret(id).rotation().pendingVersion();
        SecretVersion pending = client.getSecretValue(GetSecretValueRequest.of(id).withVersionId(token));
        assertThat(logsIn(pending)).isTrue();

        RotationDescription d = client.cancelRotation(id);

        assertThat(d.lastOutcome()).isEqualTo("cancelled");
        assertThat(d.pendingVersion()).isNull();
        assertThat(client.describeSecret(id).versionWith(Label.PENDING)).isEmpty();
        assertThat(labelled(id, Label.CURRENT).versionId()).isEqualTo(current.versionId());
        assertThat(logsIn(current)).isTrue();
        if (strategy.equals("single-user")) {
            assertThat(logsIn(pending)).isFalse();
        }
        assertThat(client.rotateNow(id)).isNotEqualTo(token);
    }
}
