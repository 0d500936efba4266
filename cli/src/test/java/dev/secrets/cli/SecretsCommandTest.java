package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree: every command documented with an example; exit statuses of the parser. */
class SecretsCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> leafCommands(CommandLine cl, String prefix) {
        List<String> names = new ArrayList<>();
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            String full = prefix.isEmpty() ? name : prefix + " " + name;
            if (sub.getSubcommands().isEmpty() || sub.getCommandSpec().userObject() instanceof BaseCommand) {
                names.add(full);
            }
            names.addAll(leafCommands(sub, full));
        });
        return names;
    }

    @Test
    void everyCommandOfTheContract_exists() {
        List<String> commands = leafCommands(SecretsCommand.commandLine(new Io(System.in, System.out, System.err, Map.of(), false)), "");
        assertThat(commands).contains("init", "create", "put", "get", "describe", "list", "versions", "label", "delete", "restore",
                "keys generate", "keys rotate", "rewrap", "exec", "demo", "completion", "rotation", "rotate", "rotation run-due",
                "random-password", "audit verify");
    }

    @Test
    void everyCommandsHelp_showsAnExample() {
        List<String> commands = leafCommands(SecretsCommand.commandLine(new Io(System.in, System.out, System.err, Map.of(), false)), "");
        for (String c : commands) {
            List<String> args = new ArrayList<>(List.of(c.split(" ")));
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(c).isZero();
            assertThat(r.out()).as(c).contains("Usage: secrets " + c).contains("Example");
        }
    }

    @Test
    void aRunNamingACommand_buildsOnlyThatCommand_andHelpOrAnUnknownCommandBuildsThemAll() {
        Io io = new Io(System.in, System.out, System.err, Map.of(), false);
        assertThat(SecretsCommand.commandLine(io, new String[] {"--store", "file:x", "--debug", "get", "a/b"}).getSubcommands())
                .containsOnlyKeys("get");
        assertThat(SecretsCommand.commandNamed(new String[] {"--key=file:k", "exec", "--", "env"})).isEqualTo("exec");
        assertThat(SecretsCommand.commandLine(io, new String[] {"help", "get"}).getSubcommands()).containsKeys("get", "put", "demo");
        assertThat(SecretsCommand.commandNamed(new String[] {"completion"})).isNull();
        assertThat(SecretsCommand.commandNamed(new String[] {"--help"})).isNull();
        assertThat(SecretsCommand.commandNamed(new String[] {"gte", "a/b"})).isNull();
        assertThat(run("--help").out()).contains("get", "put", "rotation", "demo", "completion");
        Run typo = run("gte", "a/b");
        assertThat(typo.status()).isEqualTo(Main.USAGE);
        assertThat(typo.err()).contains("'gte'");
        SecretsCommand.commandLine(io).getSubcommands().forEach((name, sub) ->
                assertThat(sub.getCommandSpec().name()).as("the name a run is matched by is the command's own").isEqualTo(name));
    }

    @Test
    void noCommand_isWrongUsage() {
        Run r = run();
        assertThat(r.status()).isEqualTo(Main.USAGE);
        assertThat(r.err()).isEqualTo("secrets: no command given (see 'secrets --help')\n");
    }

    @Test
    void version_printsTheVersion() {
        Run r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("secrets ");
    }

    @Test
    void globalOptions_canFollowTheCommand() {
        Run r = run("list", "--store", "nope:x");
        assertThat(r.status()).isEqualTo(Main.ERROR);
        assertThat(r.err()).startsWith("secrets: no backend for store scheme 'nope'");
    }
}
