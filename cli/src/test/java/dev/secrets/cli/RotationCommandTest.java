package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.RotationDescription;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationSettings;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.IsolatedConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code secrets rotation status} and {@code secrets rotation cancel} on a file store. */
class RotationCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private SecretsClient clientAt(Duration shift) {
        SecretsConfig config = IsolatedConfig.get();
        return SecretsClient.builder().config(config).store("file:" + dir.resolve("store"))
                .masterKey("default", "file:" + dir.resolve("master.key")).clock(Clock.offset(Clock.systemUTC(), shift)).build();
    }

    @Test
    void status_listsTooOldAndFailingWithTheReason_andCancelTurnsRotationOff() throws Exception {
        Run init = run(Map.of(), "--store", "file:" + dir.resolve("store"), "init", "--generate-key", dir.resolve("master.key").toString());
        assertThat(init.status()).as(init.err()).isZero();
        Map<String, String> env = Map.of("SECRETS_STORE", "file:" + dir.resolve("store"), "SECRETS_KEY",
                "file:" + dir.resolve("master.key"));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (SecretsClient past = clientAt(Duration.ofDays(-100))) {
            past.createSecret(CreateSecretRequest.of("app/old", SecretKind.GENERIC, SecretValue.ofText("t"))
                    .withTag("secrets.max-age", "90d"));
            past.createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE, SecretValue.ofFields(Map.of("username", "app",
                    "password", "p", "host", "127.0.0.1", "port", closedPort))));
            past.configureRotation("app/db", RotationSettings.of("mysql", "rate(30 days)").withParameter("connectTimeout", "2"));
            assertThatThrownBy(() -> past.rotateNow("app/db")).isInstanceOf(RotationFailedException.class);
        }

        Run status = run(env, "rotation", "status");

        assertThat(status.status()).isEqualTo(Main.ERROR);
        assertThat(status.out()).contains("app/old: too old")
                .contains("app/db: failing, overdue, stuck (failed at setSecret: cannot reach the MySQL/MariaDB server at 127.0.0.1:"
                        + closedPort);

        // The database is unreachable, so the cancel cannot make sure it holds CURRENT's password: it says so,
        // turns the schedule off, and stays requested for the next cancel or rotation to complete.
        Run cancel = run(env, "rotation", "cancel", "app/db");
        assertThat(cancel.status()).isEqualTo(Main.ERROR);
        assertThat(cancel.err().strip().lines()).hasSize(1);
        assertThat(cancel.err()).contains("cancelling the rotation of secret 'app/db' failed: cannot reach")
                .contains("the cancel stays requested");
        try (SecretsClient now = clientAt(Duration.ZERO)) {
            RotationDescription d = now.describeSecret("app/db").rotation();
            assertThat(d.enabled()).isFalse();
            assertThat(d.failedStep()).isEqualTo("cancelSecret");
        }

        Run cancelOld = run(env, "rotation", "cancel", "app/old");
        assertThat(cancelOld.status()).as("no rotation configured").isEqualTo(Main.ERROR);
        assertThat(cancelOld.err()).contains("rotation is not configured for secret 'app/old'");
        assertThat(run(env, "rotation", "status").out()).contains("app/old: too old")
                .contains("app/db: failing, stuck (failed at cancelSecret");
    }
}
