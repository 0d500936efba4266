package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacker: the child process of {@code secrets exec} (docs/security.md, attacker 6). It is given
 * the secrets named by {@code --env} and must get nothing that opens the store's master keys: no
 * {@code SECRETS_*} variable, no variable that an {@code env:} or {@code passphrase-env:} key URI
 * reads. A value that cannot be passed (NUL) is refused without being echoed.
 */
class ChildProcessAttackIT {
    private static final String CANARY = "child-canary-Qx81";
    private static final String ROOT = base64Key();
    private static final String PASSPHRASE = "team-b passphrase 5mVq2LpZ";

    @TempDir
    static Path dir;

    static CliProcess cli;

    @BeforeAll
    static void storeWhoseKeysComeFromTheEnvironment() {
        cli = new CliProcess(dir)
                .env("SECRETS_STORE", "file:store")
                .env("SECRETS_KEY", "env:TEAM_ROOT")
                .env("TEAM_ROOT", ROOT)
                .env("SECRETS_KEYS_TEAMB", "passphrase-env:TEAM_B_PASS")
                .env("TEAM_B_PASS", PASSPHRASE)
                .env("SECRETS_CACHE_TTL", "5m")
                .env("UNRELATED_SETTING", "kept");
        assertThat(cli.run("init").status()).isZero();
        assertThat(cli.run("create", "app/db", "--kind", "database",
                "--json", "{\"username\":\"app\",\"password\":\"" + CANARY + "\"}").status()).isZero();
        assertThat(cli.run("create", "app/nul", "--kind", "database",
                "--json", "{\"username\":\"app\",\"password\":\"" + CANARY + "\\u0000tail\"}").status()).isZero();
    }

    @Test
    void child_listingItsEnvironment_findsTheSecretButNoKeyNorAnySecretsSetting() {
        CliProcess.Result r = cli.run("exec", "--env", "DB=app/db", "--", "env");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("DB_PASSWORD=" + CANARY).contains("UNRELATED_SETTING=kept");
        assertThat(r.out()).doesNotContain("SECRETS_").doesNotContain("TEAM_ROOT").doesNotContain("TEAM_B_PASS")
                .doesNotContain(ROOT).doesNotContain(PASSPHRASE);
    }

    @Test
    void valueWithANul_isRefusedWithoutEchoingIt_andNothingRuns() {
        CliProcess.Result r = cli.run("exec", "--env", "DB=app/nul", "--", "sh", "-c", "echo ran");
        assertThat(r.status()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("DB_PASSWORD").contains("app/nul").contains("NUL").doesNotContain(CANARY).doesNotContain("tail");
    }

    private static String base64Key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }
}
