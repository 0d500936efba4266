package dev.secrets.internal.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
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
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mysql rotator against a real MariaDB server: both strategies, resume, grants, quoting, TLS, driver check. */
@ExtendWith(MariaDbServer.class)
class MySqlRotatorTest {
    private static final byte[] KEY = new byte[32];
    private static final int ROTATIONS = 20;

    private final MariaDbServer mariaDb;
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final FaultInjectingRotator flaky = new FaultInjectingRotator("flaky-mysql", new MySqlRotator());
    private final List<SecretsClient> clients = new ArrayList<>();
    private final SecretsClient client;

    MySqlRotatorTest(MariaDbServer mariaDb) {
        this.mariaDb = mariaDb;
        this.client = client(new MySqlRotator());
    }

    private SecretsClient client(dev.secrets.spi.Rotator extra) {
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient c = SecretsClient.builder().config(config).store(store).masterKey("default", KEY).clock(clock).rotator(flaky)
                .rotator(extra).build();
        clients.add(c);
        return c;
    }

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private SecretValue dbValue(String user, String password) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("engine", "mariadb");
        f.put("host", mariaDb.host());
        f.put("port", mariaDb.port());
        f.put("username", user);
        f.put("password", password);
        return SecretValue.ofFields(f);
    }

    private void createSecret(String id, String user, String password) {
        client.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, dbValue(user, password)));
    }

    /** An admin account with what the alternating-users strategy needs (docs/rotation.md), and its secret. */
    private void createAdmin(String secretId, String database) throws SQLException {
        String admin = unique("adm");
        mariaDb.createUser(admin, "admin-Password-1");
        admin("GRANT CREATE USER, PROCESS ON *.* TO '" + admin + "'@'%'");
        admin("GRANT SELECT ON mysql.* TO '" + admin + "'@'%'");
        admin("GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + admin + "'@'%' WITH GRANT OPTION");
        client.createSecret(CreateSecretRequest.of(secretId, SecretKind.DATABASE, dbValue(admin, "admin-Password-1")));
    }

    private String login(SecretVersion v) {
        return login(v.field("username"), v.field("password"));
    }

    /** The user the server says we are, or "refused" and the error code. */
    String login(String user, String password) {
        try (Connection c = DriverManager.getConnection(mariaDb.jdbcUrl(""), user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "refused " + e.getErrorCode();
        }
    }

    private SecretVersion current(String id) {
        return client.refresh(id);
    }

    private SecretVersion labelled(String id, Label label) {
        return client.getSecretValue(GetSecretValueRequest.of(id).withLabel(label).bypassingCache());
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = mariaDb.adminConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private int readAs(SecretVersion v, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(mariaDb.jdbcUrl(""), v.field("username"), v.field("password"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT x FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void singleUser_twentyRotations_eachLeavesOnlyTheCurrentPasswordWorking() throws SQLException {
        String user = unique("su");
        mariaDb.createUser(user, "initial-Password-1");
        createSecret("my/single", user, "initial-Password-1");
        client.configureRotation("my/single", RotationSettings.of("mysql", "rate(30 days)"));

        for (int i = 0; i < ROTATIONS; i++) {
            SecretVersion before = current("my/single");
            String token = client.rotateNow("my/single");

            SecretVersion now = current("my/single");
            assertThat(now.versionId()).isEqualTo(token);
            assertThat(now.field("username")).isEqualTo(user);
            assertThat(login(now)).as("rotation %d: CURRENT logs in", i).isEqualTo(user);
            assertThat(login(before)).as("rotation %d: the old password is refused", i).isEqualTo("refused 1045");
            assertThat(labelled("my/single", Label.PREVIOUS).versionId()).isEqualTo(before.versionId());
        }
        SecretDescription d = client.describeSecret("my/single");
        assertThat(d.versions()).hasSize(ROTATIONS + 1);
        assertThat(d.versionWith(Label.PENDING)).isEmpty();
        assertThat(d.rotation().lastOutcome()).isEqualTo("succeeded");
    }

    @Test
    void alternatingUsers_twentyRotations_cloneHasTheGrants_andPreviousWorksUntilTheNextRotation() throws SQLException {
        String db = unique("altdb");
        String user = unique("alt");
        mariaDb.createDatabase(db);
        mariaDb.createUser(user, "initial-Password-1");
        admin("CREATE TABLE `" + db + "`.t (x int)");
        admin("INSERT INTO `" + db + "`.t VALUES (42)");
        admin("GRANT SELECT ON `" + db + "`.t TO '" + user + "'@'%'");
        createAdmin("my/admin", db);
        createSecret("my/alt", user, "initial-Password-1");
        client.configureRotation("my/alt", RotationSettings.of("mysql", "rate(30 days)")
                .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "my/admin"));

        SecretVersion twoAgo = null;
        for (int i = 0; i < ROTATIONS; i++) {
            SecretVersion before = current("my/alt");
            client.rotateNow("my/alt");

            SecretVersion now = current("my/alt");
            String expectedUser = i % 2 == 0 ? user + "_clone" : user;
            assertThat(now.field("username")).isEqualTo(expectedUser);
            assertThat(login(now)).as("rotation %d: CURRENT logs in", i).isEqualTo(expectedUser);
            SecretVersion previous = labelled("my/alt", Label.PREVIOUS);
            assertThat(previous.versionId()).isEqualTo(before.versionId());
            assertThat(login(previous)).as("rotation %d: PREVIOUS still logs in", i).isEqualTo(before.field("username"));
            if (twoAgo != null) {
                assertThat(login(twoAgo)).as("rotation %d: the version before PREVIOUS is refused", i).isEqualTo("refused 1045");
            }
            twoAgo = before;
            assertThat(readAs(now, "`" + db + "`.t")).as("rotation %d: CURRENT has the grants of the original user", i)
                    .isEqualTo(42);
        }
        assertThat(client.describeSecret("my/alt").versions()).hasSize(ROTATIONS + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-user", "alternating-users"})
    void failureAfterEachStep_thenTheNextAttemptCompletes_andDatabaseAndStoreAgree(String strategy) throws SQLException {
        String db = unique("flakydb");
        String user = unique("flaky");
        mariaDb.createDatabase(db);
        mariaDb.createUser(user, "initial-Password-1", db);
        createSecret("my/flaky", user, "initial-Password-1");
        RotationSettings settings = RotationSettings.of("flaky-mysql", null).withParameter("strategy", strategy);
        if (strategy.equals("alternating-users")) {
            createAdmin("my/flaky-admin", db);
            settings = settings.withParameter("adminSecretId", "my/flaky-admin");
        }
        client.configureRotation("my/flaky", settings);

        int versions = 1;
        for (String step : RotationEngine.STEPS) {
            SecretVersion before = current("my/flaky");
            flaky.failOnceAfter(step);
            assertThatThrownBy(() -> client.rotateNow("my/flaky")).isInstanceOf(RotationFailedException.class)
                    .hasMessageContaining(step);
            versions++;

            SecretDescription mid = client.describeSecret("my/flaky");
            SecretVersion pending = client.getSecretValue(GetSecretValueRequest.of("my/flaky")
                    .withVersionId(mid.rotation().pendingVersion()));
            boolean currentWorks = !login(current("my/flaky")).startsWith("refused");
            boolean pendingWorks = !login(pending).startsWith("refused");
            assertThat(currentWorks || pendingWorks).as("after a failure in %s, a stored version logs in", step).isTrue();
            if (!step.equals("finishSecret")) {
                assertThat(current("my/flaky").versionId()).isEqualTo(before.versionId());
            }
            assertThat(mid.rotation().lastError()).doesNotContain(pending.field("password"));

            String token = client.rotateNow("my/flaky");

            assertThat(token).isEqualTo(pending.versionId());
            SecretVersion now = current("my/flaky");
            assertThat(now.value()).isEqualTo(pending.value());
            assertThat(login(now)).isEqualTo(now.field("username"));
            assertThat(labelled("my/flaky", Label.PREVIOUS).versionId()).isEqualTo(before.versionId());
            assertThat(client.describeSecret("my/flaky").versions()).hasSize(versions);
        }
    }

    @Test
    void namesAndPasswordsWithQuotesAndBackslashes_cannotChangeTheStatement() throws SQLException {
        String user = "q'`\\\"" + UUID.randomUUID().toString().substring(0, 8);
        mariaDb.createUser(user, "initial-Password-1");
        String db = unique("qdb");
        mariaDb.createDatabase(db);
        admin("GRANT SELECT ON `" + db + "`.* TO '" + user.replace("\\", "\\\\").replace("'", "''") + "'@'%'");
        createAdmin("my/qadmin", db);
        createSecret("my/quoted", user, "initial-Password-1");
        createSecret("my/quoted-alt", user, "initial-Password-1");
        client.configureRotation("my/quoted", RotationSettings.of("mysql", null)
                .withParameter("excludeCharacters", "").withParameter("passwordLength", "64"));
        client.configureRotation("my/quoted-alt", RotationSettings.of("mysql", null).withParameter("strategy", "alternating-users")
                .withParameter("adminSecretId", "my/qadmin").withParameter("excludeCharacters", "").withParameter("passwordLength", "64"));

        for (int i = 0; i < 3; i++) {
            client.rotateNow("my/quoted");
            assertThat(login(current("my/quoted"))).isEqualTo(user);
        }
        client.rotateNow("my/quoted-alt");
        SecretVersion clone = current("my/quoted-alt");
        assertThat(login(clone)).isEqualTo(user + "_clone");
    }

    @Test
    void aGrantTheAdminCannotGive_failsSetSecretNamingTheGrant_andCurrentStillLogsIn() throws SQLException {
        String db = unique("gdb");
        String other = unique("odb");
        String user = unique("g");
        mariaDb.createDatabase(db);
        mariaDb.createDatabase(other);
        mariaDb.createUser(user, "initial-Password-1", db);
        admin("GRANT INSERT ON `" + other + "`.* TO '" + user + "'@'%'"); // the admin has no rights on `other`
        createAdmin("my/gadmin", db);
        createSecret("my/grants", user, "initial-Password-1");
        client.configureRotation("my/grants", RotationSettings.of("mysql", null).withParameter("strategy", "alternating-users")
                .withParameter("adminSecretId", "my/gadmin"));

        assertThatThrownBy(() -> client.rotateNow("my/grants"))
                .isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("setSecret")
                .hasMessageContaining("replaying the grant 'GRANT INSERT ON `" + other + "`.*");
        SecretVersion now = current("my/grants");
        assertThat(now.field("username")).isEqualTo(user);
        assertThat(login(now)).isEqualTo(user);
    }

    @Test
    void tlsSettingsAreHonoured_verifyFullAgainstAServerWithoutTls_failsAndChangesNothing() throws SQLException {
        String user = unique("tls");
        mariaDb.createUser(user, "initial-Password-1");
        createSecret("my/tls", user, "initial-Password-1");
        String before = current("my/tls").versionId();
        client.configureRotation("my/tls", RotationSettings.of("mysql", null).withParameter("sslMode", "verify-full"));

        assertThatThrownBy(() -> client.rotateNow("my/tls"))
                .isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("setSecret")
                .hasMessageContaining("ssl not enabled in the server");
        assertThat(current("my/tls").versionId()).isEqualTo(before);
        assertThat(login(user, "initial-Password-1")).isEqualTo(user);
    }

    @Test
    void badParameters_andAHostWithUrlOptions_areRefused() {
        String user = unique("bad");
        createSecret("my/bad", user, "initial-Password-1");
        assertThatThrownBy(() -> client.configureRotation("my/bad", RotationSettings.of("mysql", null)
                .withParameter("sslMode", "sometimes"))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("sslMode");
        assertThatThrownBy(() -> client.configureRotation("my/bad", RotationSettings.of("mysql", null)
                .withParameter("drain", "maybe"))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("drain");

        Map<String, Object> f = new LinkedHashMap<>(dbValue(user, "initial-Password-1").fields());
        f.put("host", mariaDb.host() + "/?allowLocalInfile=true&user=root");
        // Refused when written (so the rotator's own check of the host before it enters the URL is a second line).
        assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("my/urlhost", SecretKind.DATABASE,
                SecretValue.ofFields(f)))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("field 'host'");
    }

    @Test
    void withoutTheDriver_configureRotationSaysSo() throws Exception {
        try (URLClassLoader bare = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            ClassLoader saved = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(bare);
            try {
                SecretsClient noDriver = client(new FaultInjectingRotator("mysql-no-driver", new MySqlRotator(bare)));
                createSecret("my/nodriver", "someone", "initial-Password-1");
                assertThatThrownBy(() -> noDriver.configureRotation("my/nodriver", RotationSettings.of("mysql-no-driver", null)))
                        .isInstanceOf(InvalidSecretException.class)
                        .hasMessageContaining("needs the JDBC driver MariaDB Connector/J (org.mariadb.jdbc:mariadb-java-client)");
                assertThat(noDriver.describeSecret("my/nodriver").rotation()).isNull();
            } finally {
                Thread.currentThread().setContextClassLoader(saved);
            }
        }
    }
}
