package dev.secrets.cli;

import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.ValueType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code secrets exec}: runs a command with secrets in its environment. Values go only into the
 * child's environment, never onto a command line; standard streams are the child's own; SIGTERM
 * and SIGINT to this process end the child too; the exit status is the child's. The child never
 * gets the store's keys: {@link ChildEnvironment} removes every {@code SECRETS_*} variable and every
 * variable a key URI reads.
 */
@Command(name = "exec", sortOptions = false, description = {"Run COMMAND with secrets as environment variables:",
        "each field of a key/value secret as PREFIX_FIELD (PREFIX_USERNAME, PREFIX_PASSWORD, …), a text secret as PREFIX.",
        "Standard input, output and error are the command's own; its exit status is returned; SIGTERM/SIGINT are passed on."},
        footer = {"", "Example:", "  secrets exec --env DB=prod/app-db --env API_TOKEN=prod/api-token -- ./run-app.sh --port 8080"})
final class ExecCommand extends BaseCommand {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Option(names = "--env", paramLabel = "PREFIX=ID", required = true, converter = Converters.Pair.class,
            description = "put secret ID in the environment under PREFIX (repeatable)")
    List<String[]> env;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "the command and its arguments (after --)")
    List<String> command;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> vars = new LinkedHashMap<>();
        SecretsConfig config = root().config();
        List<String> keyVariables = ChildEnvironment.keyVariables(config);
        try (SecretsClient c = root().client(config)) {
            for (String[] e : env) {
                String prefix = e[0];
                String id = e[1];
                if (!ENV_NAME.matcher(prefix).matches()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--env " + prefix + "=…: '" + prefix
                            + "' is not an environment variable name (letters, digits, _; not starting with a digit)");
                }
                if (id == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--env " + prefix + ": write PREFIX=SECRET_ID");
                }
                new Converters.Id().convert(id);
                SecretValue v = c.getSecretValue(id).value();
                if (v.type() == ValueType.KEY_VALUE) {
                    for (Map.Entry<String, String> f : v.fields().entrySet()) {
                        if (f.getValue() != null) {
                            add(vars, prefix + "_" + f.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), f.getValue(), id);
                        }
                    }
                } else if (v.type() == ValueType.TEXT) {
                    add(vars, prefix, v.text(), id);
                } else {
                    throw new CliException("secret '" + id + "' is binary; exec passes key/value and text secrets only");
                }
            }
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        // The child gets the secrets it was given, never what opens the store's keys.
        ChildEnvironment.scrub(pb.environment(), keyVariables);
        pb.environment().putAll(vars);
        vars.clear();
        // SIGTERM/SIGINT run shutdown hooks: the hook ends the child as well, so nothing is left
        // behind. It is in place before the child starts, and waits for a start in progress.
        AtomicReference<Process> running = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Process p = running.get();
            if (p != null) {
                stop(p);
            }
        }, "secrets-exec-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Process child;
        try {
            child = pb.start();
            running.set(child);
        } catch (IOException e) {
            throw new CliException("cannot run '" + command.get(0) + "': " + e.getMessage());
        } finally {
            started.countDown();
        }
        int status = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook is running
        }
        return status;
    }

    private static void add(Map<String, String> vars, String name, String value, String id) {
        ChildEnvironment.requirePassable(name, value, id);
        if (vars.put(name, value) != null) {
            throw new CliException("two values map to the environment variable " + name + " (last from secret '" + id
                    + "'); give the secrets different prefixes");
        }
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
