package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code secrets exec} as a real process: environment, streams, exit status and signals reach the child. */
class ExecCommandIT {
    private static final String CANARY = "exec-canary-7Jd0q";

    @TempDir
    static Path dir;

    static CliProcess cli;

    @BeforeAll
    static void storeWithTwoSecrets() {
        cli = new CliProcess(dir).env("SECRETS_STORE", "file:store").env("SECRETS_KEY", "file:master.key");
        assertThat(new CliProcess(dir).run("--store", "file:store", "init", "--generate-key", "master.key").status()).isZero();
        assertThat(cli.run("create", "app/db", "--kind", "database",
                "--json", "{\"username\":\"app\",\"password\":\"" + CANARY + "\",\"dbname\":\"orders\"}").status()).isZero();
        assertThat(cli.runWithInput(CANARY + "-token\n", "create", "app/token").status()).isZero();
    }

    @Test
    void exec_givesTheChildEachFieldAsAVariableAndReturnsItsExitStatus() {
        CliProcess.Result r = cli.runWithInput("line from stdin\n", "exec", "--env", "DB=app/db", "--env", "API_TOKEN=app/token", "--",
                "sh", "-c", "echo \"user=$DB_USERNAME pass=$DB_PASSWORD db=$DB_DBNAME token=$API_TOKEN\"; read l; echo \"in=$l\";"
                        + " echo to-stderr >&2; exit 7");
        assertThat(r.status()).as(r.toString()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("user=app pass=" + CANARY + " db=orders token=" + CANARY + "-token\nin=line from stdin\n");
        assertThat(r.err()).isEqualTo("to-stderr\n");
    }

    @Test
    void exec_passesOptionsAfterTheCommandToTheCommand() {
        CliProcess.Result r = cli.run("exec", "--env", "T=app/token", "sh", "-c", "echo \"$0 $1\"", "-x", "--json");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("-x --json\n");
    }

    @Test
    void exec_ofAMissingSecret_runsNothingAndExitsFour() {
        CliProcess.Result r = cli.run("exec", "--env", "X=app/none", "--", "sh", "-c", "echo ran");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("secrets: secret 'app/none' does not exist\n");
    }

    @Test
    void exec_withABadPrefixOrNoCommand_isWrongUsage() {
        assertThat(cli.run("exec", "--env", "9X=app/db", "--", "true").status()).isEqualTo(2);
        assertThat(cli.run("exec", "--env", "X=app/db").status()).isEqualTo(2);
        assertThat(cli.run("exec", "--", "true").status()).isEqualTo(2);
    }

    @Test
    void sigtermToSecrets_endsTheChildToo_andNoValueIsOnACommandLine() throws Exception {
        List<String> cmd = CliProcess.javaCommand();
        cmd.addAll(List.of("exec", "--env", "DB=app/db", "--", "sh", "-c",
                "trap 'echo child-got-term; exit 3' TERM; echo \"ready $$\"; while :; do sleep 0.05; done"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("SECRETS_STORE", "file:store");
        pb.environment().put("SECRETS_KEY", "file:master.key");
        Process secrets = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(secrets.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertThat(ready).startsWith("ready ");
        long childPid = Long.parseLong(ready.substring(6).trim());
        Optional<ProcessHandle> child = ProcessHandle.of(childPid);
        try {
            assertThat(child).isPresent();
            for (long pid : new long[] {childPid, secrets.pid()}) {
                String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
                assertThat(commandLine).as("command line of process " + pid).contains("sh").doesNotContain(CANARY);
            }
            secrets.toHandle().destroy(); // SIGTERM to the secrets process only (its streams stay open)
            assertThat(secrets.waitFor(60, TimeUnit.SECONDS)).isTrue();
            try {
                child.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the child still runs 30 s after secrets ended", e);
            }
        } finally {
            child.ifPresent(ProcessHandle::destroyForcibly);
        }
        List<String> lines = new ArrayList<>();
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            lines.add(l);
        }
        assertThat(lines).contains("child-got-term");
        assertThat(String.join("\n", lines)).doesNotContain(CANARY);
    }
}
