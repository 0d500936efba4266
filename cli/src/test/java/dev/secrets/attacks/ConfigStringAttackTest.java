package dev.secrets.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.FakePostgres;
import dev.secrets.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attacker: controls a configuration string — a {@code jdbc:secrets:} URL — or the fields of a
 * secret that end up in a URL, but holds no key (docs/security.md, attacker 3). The "database" they
 * point at is {@link FakePostgres}, which asks for the password in cleartext: every test asserts it
 * got nothing. On the file store and on s3proxy, through the real {@code jdbc:secrets:} driver.
 */
class ConfigStringAttackTest {
    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final String CANARY = "config-attack-canary-P9w";
    private static final Map<String, String> SAVED = new HashMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void s3CredentialsForTheDriversOwnClient() {
        // The driver builds its own client through the AWS SDK's default chain: system properties come first.
        Map<String, String> aws = Map.of("aws.accessKeyId", S3ProxyServer.ACCESS_KEY, "aws.secretAccessKey", S3ProxyServer.SECRET_KEY,
                "aws.region", "us-east-1");
        aws.forEach((k, v) -> {
            SAVED.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
    }

    @AfterAll
    static void restore() {
        SAVED.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private record Setup(AttackStore store, SecretsClient admin, Properties settings) {
    }

    private Setup setup(String kind) throws Exception {
        AttackStore store = AttackStore.of(kind, tmp);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = Files.writeString(tmp.resolve("master.key"), Base64.getEncoder().encodeToString(key));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Properties settings = new Properties();
        settings.setProperty("secrets.store", store.uri());
        settings.setProperty("secrets.key", "file:" + keyFile);
        SecretsClient admin = store.client(Map.of("default", key));
        admin.createSecret(CreateSecretRequest.of("prod/payments-db", SecretKind.DATABASE, SecretValue.ofFields(Map.of(
                "username", "payments", "password", CANARY, "host", "db.internal", "port", 5432, "dbname", "payments"))));
        return new Setup(store, admin, settings);
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void urlNamingAnotherHostThanTheSecret_isRefusedBeforeAnyConnection(String kind) throws Exception {
        Setup s = setup(kind);
        try (AttackStore store = s.store(); FakePostgres attacker = new FakePostgres()) {
            String url = "jdbc:secrets:postgresql://127.0.0.1:" + attacker.port() + "/payments?secretId=prod/payments-db&sslmode=disable";
            assertThatThrownBy(() -> DriverManager.getConnection(url, s.settings()))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("refused before connecting")
                    .hasMessageContaining("names host 127.0.0.1, but the secret 'prod/payments-db' names db.internal:5432")
                    .hasMessageNotContaining(CANARY)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
            assertThat(attacker.connections()).isZero();
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void secretIdInTheUrl_neverOverridesTheApplicationsUser(String kind) throws Exception {
        Setup s = setup(kind);
        try (AttackStore store = s.store(); FakePostgres attacker = new FakePostgres()) {
            s.admin().createSecret(CreateSecretRequest.of("app/own", SecretKind.DATABASE, SecretValue.ofFields(Map.of(
                    "username", "app", "password", "app-own-password"))));
            Properties props = new Properties();
            props.putAll(s.settings());
            props.setProperty("user", "app/own");
            String url = "jdbc:secrets:postgresql://127.0.0.1:" + attacker.port() + "/payments?secretId=prod/payments-db";
            assertThatThrownBy(() -> DriverManager.getConnection(url, props))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("a secretId never overrides the user")
                    .hasMessageNotContaining(CANARY);
            assertThat(attacker.passwords()).doesNotContain(CANARY);
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void urlSyntaxInADatabaseSecretsFields_isRefusedOnWrite_andNothingIsStored(String kind) throws Exception {
        Setup s = setup(kind);
        try (AttackStore store = s.store()) {
            Map<String, String> before = store.snapshot();
            assertThatThrownBy(() -> s.admin().createSecret(CreateSecretRequest.of("prod/mysql", SecretKind.DATABASE, SecretValue.ofFields(
                    Map.of("username", "u", "password", CANARY, "host", "db.internal", "dbname", "app?allowLoadLocalInfile=true")))))
                    .isInstanceOf(InvalidSecretException.class)
                    .hasMessageContaining("field 'dbname'")
                    .hasMessageNotContaining("allowLoadLocalInfile").hasMessageNotContaining(CANARY);
            assertThatThrownBy(() -> s.admin().putSecretValue("prod/payments-db", SecretValue.ofFields(Map.of(
                    "username", "u", "password", CANARY, "host", "db.internal/x?sslmode=disable"))))
                    .isInstanceOf(InvalidSecretException.class)
                    .hasMessageContaining("field 'host'")
                    .hasMessageNotContaining("sslmode").hasMessageNotContaining(CANARY);
            assertThat(store.snapshot()).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void urlSyntaxInAGenericSecretUsedAsCredentials_isRefusedOnUse(String kind) throws Exception {
        Setup s = setup(kind);
        try (AttackStore store = s.store(); FakePostgres attacker = new FakePostgres()) {
            // A generic key/value secret is not checked on write; its fields are checked when used as credentials.
            s.admin().createSecret(CreateSecretRequest.of("team/generic", SecretKind.GENERIC, SecretValue.ofFields(Map.of(
                    "username", "u", "password", CANARY, "host", "127.0.0.1:" + attacker.port() + "/x?sslmode=disable&a="))));
            Properties props = new Properties();
            props.putAll(s.settings());
            props.setProperty("user", "team/generic");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:secrets:postgresql", props))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("field 'host' must be a host name or an IP address")
                    .hasMessageNotContaining("sslmode").hasMessageNotContaining(CANARY);
            assertThat(attacker.connections()).isZero();
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with these system properties: the application's own configuration, as {@code -D} would set it. */
    private static void withApplicationConfiguration(Map<String, String> own, Body body) throws Exception {
        Map<String, String> saved = new HashMap<>();
        own.forEach((k, v) -> {
            saved.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        try {
            body.run();
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    /** A file store of the attacker's with its own key and a secret {@code id} sending the application to {@code port}. */
    private Properties attackersStore(String id, int port) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = Files.writeString(tmp.resolve("attacker.key"), Base64.getEncoder().encodeToString(key));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        String uri = "file:" + tmp.resolve("attacker-store");
        try (SecretsClient attacker = SecretsClient.builder().store(uri).masterKey("default", "file:" + keyFile).build()) {
            attacker.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, SecretValue.ofFields(Map.of(
                    "username", "app", "password", "attackers-own", "host", "127.0.0.1", "port", port, "dbname", "loot"))));
        }
        Properties p = new Properties();
        p.setProperty("secrets.store", uri);
        p.setProperty("secrets.key", "file:" + keyFile);
        return p;
    }

    /**
     * The application configures its store, key and audit log itself (system properties) and connects with
     * {@code jdbc:secrets:postgresql} (host from the secret) to a real PostgreSQL server. Whoever controls the
     * connection properties tries to point the driver at their own store (whose secret sends the application to
     * their database), to move the audit log, and to load their own configuration file: each is refused with
     * SQLState 28000, their database sees no connection, their log file is never created, and the application's
     * audit log records the legitimate read only. With the application's opt-in the same store redirect reaches
     * their database, which shows the attack is real.
     */
    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void connectionProperties_cannotRedirectTheApplicationsStoreAuditLogOrConfigFile(String kind) throws Exception {
        Setup s = setup(kind);
        String role = "attack_app_" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        String db = role + "_db";
        String password = "app-" + UUID.randomUUID();
        POSTGRES.createRole(role, password, true);
        POSTGRES.createDatabase(db);
        s.admin().createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE, SecretValue.ofFields(Map.of(
                "username", role, "password", password, "host", POSTGRES.host(), "port", POSTGRES.port(), "dbname", db))));
        Path appAudit = tmp.resolve("app-audit.log");
        Path appConfig = Files.writeString(tmp.resolve("app.properties"), "secrets.cache.ttl=1h\n");
        Path evilLog = tmp.resolve("evil-audit.log");
        Path evilConfig = Files.writeString(tmp.resolve("evil.properties"), "secrets.cache.ttl=0s\n");
        Map<String, String> own = Map.of("secrets.store", s.settings().getProperty("secrets.store"),
                "secrets.key", s.settings().getProperty("secrets.key"), "secrets.audit.log", appAudit.toString(),
                "secrets.config", appConfig.toString());
        String principal = "attack-" + UUID.randomUUID(); // a secrets.* property of its own: no profile of an earlier test is reused

        try (AttackStore store = s.store(); FakePostgres attacker = new FakePostgres()) {
            Properties toTheirStore = attackersStore("app/db", attacker.port());
            Properties toTheirLog = new Properties();
            toTheirLog.setProperty("secrets.audit.log", evilLog.toString());
            Properties toTheirConfig = new Properties();
            toTheirConfig.setProperty("secrets.config", evilConfig.toString());

            withApplicationConfiguration(own, () -> {
                for (Properties attack : new Properties[] {toTheirStore, toTheirLog, toTheirConfig}) {
                    Properties props = new Properties();
                    props.putAll(attack);
                    props.setProperty("user", "app/db");
                    props.setProperty("secrets.principal", principal);
                    String key = attack.containsKey("secrets.store") ? "secrets.store" : attack.stringPropertyNames().iterator().next();
                    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:secrets:postgresql", props).close())
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("refused the connection property " + key)
                            .hasMessageContaining("the application's own configuration sets another " + key)
                            .hasMessageNotContaining(password)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
                }
                assertThat(attacker.connections()).as("connections to the attacker's database").isZero();
                assertThat(evilLog).doesNotExist();

                Properties legitimate = new Properties();
                legitimate.setProperty("user", "app/db");
                legitimate.setProperty("secrets.principal", principal);
                try (Connection c = DriverManager.getConnection("jdbc:secrets:postgresql", legitimate);
                        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo(role);
                }
                assertThat(Files.readString(appAudit)).contains("\"secret.read\"").contains("app/db").contains(principal);
            });

            Map<String, String> optedIn = new HashMap<>(own);
            optedIn.put("secrets.jdbc.connection-overrides", "always");
            withApplicationConfiguration(optedIn, () -> {
                Properties props = new Properties();
                props.putAll(toTheirStore);
                props.setProperty("user", "app/db");
                props.setProperty("secrets.principal", principal + "-opted-in");
                props.setProperty("secrets.jdbc.max-retries", "0");
                assertThatThrownBy(() -> DriverManager.getConnection("jdbc:secrets:postgresql", props).close())
                        .isInstanceOf(SQLException.class); // their fake database refuses the login it asked for
                assertThat(attacker.connections()).as("with the opt-in, the application goes to the attacker's database").isPositive();
            });
        }
    }
}
