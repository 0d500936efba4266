package dev.secrets.internal.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.Label;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationSettings;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MariaDbServer;
import dev.secrets.testing.MutableClock;
import dev.secrets.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drain-aware alternating users, on both database rotators against real servers: a live session of
 * the user whose password is about to change (the PREVIOUS user) makes {@code fail} fail the step and
 * change nothing, {@code wait} go on as soon as the session ends (or fail past its bound, measured by
 * the injected clock, while renewing the lease), and {@code proceed} change it anyway.
 */
@ExtendWith({MariaDbServer.class, PostgresServer.class})
class SessionDrainTest {
    private static final byte[] KEY = new byte[32];

    private final MariaDbServer mariaDb;
    private final PostgresServer postgres;
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final List<SecretsClient> clients = new ArrayList<>();
    private final List<Connection> held = new ArrayList<>();
    private final SecretsClient client;

    SessionDrainTest(MariaDbServer mariaDb, PostgresServer postgres) {
        this.mariaDb = mariaDb;
        this.postgres = postgres;
        this.client = newClient();
    }

    private SecretsClient newClient() {
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient c = SecretsClient.builder().config(config).store(store).masterKey("default", KEY).clock(clock).build();
        clients.add(c);
        return c;
    }

    @AfterEach
    void close() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        clients.forEach(SecretsClient::close);
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private boolean pg(String rotator) {
        return rotator.equals("postgresql");
    }

    private SecretValue value(String rotator, String user, String password) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", pg(rotator) ? postgres.host() : mariaDb.host());
        f.put("port", pg(rotator) ? postgres.port() : mariaDb.port());
        if (pg(rotator)) {
            f.put("dbname", "postgres");
        }
        f.put("username", user);
        f.put("password", password);
        return SecretValue.ofFields(f);
    }

    private String url(String rotator) {
        return pg(rotator) ? postgres.jdbcUrl("postgres") : mariaDb.jdbcUrl("");
    }

    /**
     * An alternating-users secret rotated once (CURRENT is the clone, PREVIOUS the original user),
     * configured with {@code drain} settings.
     */
    private String rotatedOnce(String rotator, String id, Map<String, String> drain) throws SQLException {
        String user = unique("drain");
        String admin = unique("drainadm");
        if (pg(rotator)) {
            postgres.createRole(user, "initial-Password-1", true);
            postgres.createRole(admin, "admin-Password-1", true);
            try (Connection c = postgres.adminConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + admin + " CREATEROLE");
            }
        } else {
            mariaDb.createUser(user, "initial-Password-1");
            mariaDb.createUser(admin, "admin-Password-1");
            try (Connection c = mariaDb.adminConnection(); Statement s = c.createStatement()) {
                s.execute("GRANT CREATE USER, PROCESS ON *.* TO '" + admin + "'@'%'");
                s.execute("GRANT SELECT ON mysql.* TO '" + admin + "'@'%'");
            }
        }
        client.createSecret(CreateSecretRequest.of(id + "-admin", SecretKind.DATABASE, value(rotator, admin, "admin-Password-1")));
        client.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, value(rotator, user, "initial-Password-1")));
        RotationSettings settings = RotationSettings.of(rotator, null).withParameter("strategy", "alternating-users")
                .withParameter("adminSecretId", id + "-admin");
        for (Map.Entry<String, String> e : drain.entrySet()) {
            settings = settings.withParameter(e.getKey(), e.getValue());
        }
        client.configureRotation(id, settings);
        client.rotateNow(id);
        return user;
    }

    /** A live session as the PREVIOUS user, as a client whose cache has not moved on yet would hold. */
    private Connection holdPreviousSession(String rotator, String id) throws SQLException {
        SecretVersion previous = labelled(id, Label.PREVIOUS);
        Connection c = DriverManager.getConnection(url(rotator), previous.field("username"), previous.field("password"));
        held.add(c);
        return c;
    }

    private SecretVersion labelled(String id, Label label) {
        return client.getSecretValue(GetSecretValueRequest.of(id).withLabel(label).bypassingCache());
    }

    private boolean logsIn(String rotator, SecretVersion v) {
        try (Connection c = DriverManager.getConnection(url(rotator), v.field("username"), v.field("password"))) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "postgresql"})
    void fail_withALiveSessionOfTheUserToChange_failsSetSecretWithTheReason_andChangesNothing(String rotator) throws Exception {
        String user = rotatedOnce(rotator, "drain/fail-" + rotator, Map.of("drain", "fail"));
        String id = "drain/fail-" + rotator;
        SecretVersion previous = labelled(id, Label.PREVIOUS);
        SecretVersion current = labelled(id, Label.CURRENT);
        holdPreviousSession(rotator, id);

        assertThatThrownBy(() -> client.rotateNow(id))
                .isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("setSecret")
                .hasMessageContaining("user '" + user + "' still has 1 live session(s)");

        SecretDescription d = client.describeSecret(id);
        assertThat(d.rotation().failedStep()).isEqualTo("setSecret");
        assertThat(d.rotation().lastError()).contains("live session").contains("drain=fail");
        assertThat(logsIn(rotator, previous)).as("the PREVIOUS password was not changed").isTrue();
        assertThat(logsIn(rotator, current)).isTrue();
        assertThat(labelled(id, Label.CURRENT).versionId()).isEqualTo(current.versionId());

        held.remove(0).close();
        client.rotateNow(id);
        assertThat(labelled(id, Label.CURRENT).field("username")).isEqualTo(user);
        assertThat(logsIn(rotator, labelled(id, Label.CURRENT))).isTrue();
        assertThat(logsIn(rotator, previous)).as("the password the session used is gone now").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "postgresql"})
    void waitByDefault_proceedsAsSoonAsTheSessionEnds(String rotator) throws Exception {
        String id = "drain/wait-" + rotator;
        String user = rotatedOnce(rotator, id, Map.of());
        SecretVersion previous = labelled(id, Label.PREVIOUS);
        Connection session = holdPreviousSession(rotator, id);

        CompletableFuture<String> rotation = CompletableFuture.supplyAsync(() -> client.rotateNow(id));
        assertThatThrownBy(() -> rotation.get(3, TimeUnit.SECONDS)).as("waits while the session lives")
                .isInstanceOf(TimeoutException.class);
        assertThat(logsIn(rotator, previous)).as("nothing changed while waiting").isTrue();

        session.close();
        String token = rotation.get(60, TimeUnit.SECONDS);

        SecretVersion now = labelled(id, Label.CURRENT);
        assertThat(now.versionId()).isEqualTo(token);
        assertThat(now.field("username")).isEqualTo(user);
        assertThat(logsIn(rotator, now)).isTrue();
        assertThat(logsIn(rotator, previous)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "postgresql"})
    void proceed_changesThePasswordDespiteTheSession(String rotator) throws Exception {
        String id = "drain/proceed-" + rotator;
        rotatedOnce(rotator, id, Map.of("drain", "proceed"));
        SecretVersion previous = labelled(id, Label.PREVIOUS);
        holdPreviousSession(rotator, id);

        client.rotateNow(id);

        assertThat(logsIn(rotator, labelled(id, Label.CURRENT))).isTrue();
        assertThat(logsIn(rotator, previous)).isFalse();
    }

    /**
     * The wait's bound is the injected clock's; while it waits, the step renews its 10-minute lease, so
     * a second runner 15 clock-minutes later still finds the rotation taken, and the bound then fails the step.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mysql"})
    void wait_pastItsBound_failsWithTheReason_andTheLeaseIsRenewedMeanwhile(String rotator) throws Exception {
        String id = "drain/bound-" + rotator;
        rotatedOnce(rotator, id, Map.of("drainTimeout", "30m"));
        SecretVersion previous = labelled(id, Label.PREVIOUS);
        holdPreviousSession(rotator, id);
        SecretsClient other = newClient();

        CompletableFuture<String> rotation = CompletableFuture.supplyAsync(() -> client.rotateNow(id));
        Duration advanced = Duration.ZERO;
        boolean conflictSeen = false;
        long realDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!rotation.isDone() && System.nanoTime() < realDeadline) {
            Thread.sleep(300); // lets the waiting step poll (every 250 ms) between clock moves
            clock.advance(Duration.ofSeconds(30));
            advanced = advanced.plusSeconds(30);
            if (!conflictSeen && advanced.compareTo(Duration.ofMinutes(15)) >= 0) {
                assertThatThrownBy(() -> other.rotateNow(id)).as("the lease, renewed during the step, is still live")
                        .isInstanceOf(ConflictException.class);
                conflictSeen = true;
            }
        }
        assertThat(conflictSeen).isTrue();
        assertThatThrownBy(rotation::join).hasCauseInstanceOf(RotationFailedException.class)
                .hasMessageContaining("after waiting PT30M");
        assertThat(advanced).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(logsIn(rotator, previous)).as("nothing changed").isTrue();
    }
}
