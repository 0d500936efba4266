package dev.secrets.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationSettings;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.cli.H2Rotator;
import dev.secrets.testing.FakePostgres;
import dev.secrets.testing.PostgresServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attacker: team B, sharing the store and the rotation runner with team A (docs/security.md,
 * attacker 4). Team B holds its own key and configures rotation of its own secrets; the runner
 * holds both teams' keys. Against a real PostgreSQL server, on the file store and on s3proxy.
 */
@ExtendWith(PostgresServer.class)
class TeamRotationAttackTest {
    private final PostgresServer postgres;

    @TempDir
    Path tmp;

    TeamRotationAttackTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static SecretValue db(String host, int port, String user, String password) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("engine", "postgres");
        f.put("host", host);
        f.put("port", port);
        f.put("dbname", "postgres");
        f.put("username", user);
        f.put("password", password);
        return SecretValue.ofFields(f);
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void teamB_namingTeamAsAdminSecret_neverGetsItsPassword_theRunnerRefusesToReadIt(String kind) throws Exception {
        byte[] teamA = key();
        byte[] teamB = key();
        try (AttackStore store = AttackStore.of(kind, tmp); FakePostgres attacker = new FakePostgres()) {
            store.client(Map.of("team-a", teamA)).createSecret(CreateSecretRequest.of("teamA/pg-admin", SecretKind.DATABASE,
                    db(postgres.host(), postgres.port(), postgres.superuser(), postgres.superuserPassword())).withKeyName("team-a"));
            SecretsClient b = store.client(Map.of("team-b", teamB));
            b.createSecret(CreateSecretRequest.of("teamB/app", SecretKind.DATABASE,
                    db("127.0.0.1", attacker.port(), "app", "team-b-own-password")).withKeyName("team-b"));
            b.configureRotation("teamB/app", RotationSettings.of("postgresql", "rate(1 days)")
                    .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "teamA/pg-admin"));
            Map<String, String> before = store.snapshot();

            SecretsClient runner = store.client(Map.of("team-a", teamA, "team-b", teamB));
            assertThatThrownBy(() -> runner.rotateNow("teamB/app"))
                    .isInstanceOf(RotationFailedException.class)
                    .hasMessageContaining("'teamA/pg-admin' is under master key 'team-a', not under master key 'team-b'")
                    .hasMessageNotContaining(postgres.superuserPassword());
            assertThat(attacker.passwords()).doesNotContain(postgres.superuserPassword());
            assertThat(store.snapshot().get(store.latest("secrets/teamA/pg-admin"))).isEqualTo(before.get(store.latest("secrets/teamA/pg-admin")));
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void adminLogin_goesOnlyToTheAdminSecretsOwnServer_evenUnderTheSameKey(String kind) throws Exception {
        byte[] shared = key();
        try (AttackStore store = AttackStore.of(kind, tmp); FakePostgres attacker = new FakePostgres()) {
            SecretsClient c = store.client(Map.of("default", shared));
            c.createSecret(CreateSecretRequest.of("ops/pg-admin", SecretKind.DATABASE,
                    db(postgres.host(), postgres.port(), postgres.superuser(), postgres.superuserPassword())));
            c.createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE, db("127.0.0.1", attacker.port(), "app", "own-password")));
            c.configureRotation("app/db", RotationSettings.of("postgresql", "rate(1 days)")
                    .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "ops/pg-admin"));

            assertThatThrownBy(() -> store.client(Map.of("default", shared)).rotateNow("app/db"))
                    .isInstanceOf(RotationFailedException.class)
                    .hasMessageContaining("the admin login goes only to the admin secret's own host and port")
                    .hasMessageNotContaining(postgres.superuserPassword());
            assertThat(attacker.passwords()).doesNotContain(postgres.superuserPassword());
        }
    }

    @Test
    void h2RotatorUrlWithAnInitScript_isRefused_andNothingIsFetched() throws Exception {
        try (AttackStore store = AttackStore.of("file", tmp); ServerSocket scriptHost = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            SecretsClient b = store.build(store.builder().masterKey("default", key()).rotator(new H2Rotator()));
            b.createSecret(CreateSecretRequest.of("teamB/h2", SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", "SA", "password", "pw"))));
            Map<String, String> before = store.snapshot();
            for (String url : new String[] {
                    "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://127.0.0.1:" + scriptHost.getLocalPort() + "/pwn.sql'",
                    "jdbc:h2:tcp://127.0.0.1:" + scriptHost.getLocalPort() + "/x"}) {
                assertThatThrownBy(() -> b.configureRotation("teamB/h2", RotationSettings.of("h2", "rate(1 days)").withParameter("url", url)))
                        .isInstanceOf(InvalidSecretException.class)
                        .hasMessageContaining("parameter url of rotator h2");
            }
            assertThat(store.snapshot()).isEqualTo(before);
            scriptHost.setSoTimeout(500);
            assertThatThrownBy(scriptHost::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

}
