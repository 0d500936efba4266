package dev.secrets.cli;

import dev.secrets.ConfigurationException;
import dev.secrets.InvalidSecretException;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The root {@code secrets} command: global options, the list of commands, and the mapping of
 * errors to one line and an exit status. Not thread-safe: one instance per run.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = SecretsCommand.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Encrypted, versioned, rotated secrets on a file or S3 store.", ""},
        footer = {"", "Store and key come from --store/--key, else secrets.store/secrets.key as system properties,",
                "SECRETS_STORE/SECRETS_KEY in the environment, the file named by SECRETS_CONFIG, or secrets.properties.",
                "", "Example:", "  secrets --store file:./store --key file:./master.key get prod/app-db --field password",
                "", "Exit status: 0 success, 1 error, 2 wrong usage, 4 secret not found."})
final class SecretsCommand implements Runnable {
    /**
     * Every command, in the order help lists them. Added to the command line by {@link #commandLine(Io, String[])},
     * which adds only the one a run names: picocli reads every added command's annotations at start,
     * which a script calling {@code secrets get} on every run should not pay for twenty commands.
     */
    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        // Names written out, not read from each class's @Command: reading annotations costs start-up time too.
        COMMANDS.put("init", InitCommand.class);
        COMMANDS.put("create", CreateCommand.class);
        COMMANDS.put("put", PutCommand.class);
        COMMANDS.put("get", GetCommand.class);
        COMMANDS.put("describe", DescribeCommand.class);
        COMMANDS.put("list", ListCommand.class);
        COMMANDS.put("versions", VersionsCommand.class);
        COMMANDS.put("label", LabelCommand.class);
        COMMANDS.put("destroy", DestroyCommand.class);
        COMMANDS.put("delete", DeleteCommand.class);
        COMMANDS.put("restore", RestoreCommand.class);
        COMMANDS.put("purge", PurgeCommand.class);
        COMMANDS.put("rotation", RotationCommand.class);
        COMMANDS.put("rotate", RotateCommand.class);
        COMMANDS.put("random-password", RandomPasswordCommand.class);
        COMMANDS.put("keys", KeysCommand.class);
        COMMANDS.put("rewrap", RewrapCommand.class);
        COMMANDS.put("audit", AuditCommand.class);
        COMMANDS.put("exec", ExecCommand.class);
        COMMANDS.put("demo", DemoCommand.class);
        COMMANDS.put("serve", ServeCommand.class);
        COMMANDS.put("server", ServerCommand.class);
        COMMANDS.put("completion", CompletionCommand.class);
        COMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    /** Commands that need the whole tree: help lists it, completion describes it. */
    private static final Set<String> WHOLE_TREE = Set.of("help", "completion");

    final Io io;

    @Option(names = "--store", paramLabel = "URI", scope = ScopeType.INHERIT,
            description = "store URI: file:PATH or s3://BUCKET/PREFIX?endpoint=…&region=…&pathStyle=true")
    String store;

    @Option(names = "--key", paramLabel = "URI", scope = ScopeType.INHERIT,
            description = "key URI of master key 'default': env:NAME, file:PATH or passphrase-env:NAME")
    String key;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "print the stack trace of an error")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    SecretsCommand(Io io) {
        this.io = io;
    }

    /** The whole command tree. */
    static CommandLine commandLine(Io io) {
        return commandLine(io, null);
    }

    /**
     * The command line for {@code args}: the root and only the command they name when they name
     * one (after the global options), else every command (help, usage errors, a mistyped command).
     */
    static CommandLine commandLine(Io io, String[] args) {
        SecretsCommand root = new SecretsCommand(io);
        CommandLine cl = new CommandLine(root);
        String only = args == null ? null : commandNamed(args);
        for (Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
            if (only == null || only.equals(c.getKey())) {
                cl.addSubcommand(c.getKey(), c.getValue());
            }
        }
        cl.setOut(new java.io.PrintWriter(io.out(), true));
        cl.setErr(new java.io.PrintWriter(io.err(), true));
        cl.setParameterExceptionHandler(SecretsCommand::usageError);
        cl.setExecutionExceptionHandler((e, line, parsed) -> root.error(e, line));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // exec: everything from COMMAND on is the command's own, options included.
        CommandLine exec = cl.getSubcommands().get("exec");
        if (exec != null) {
            exec.setStopAtPositional(true);
        }
        return cl;
    }

    /** The command {@code args} name after the global options, or null when they name none or need the whole tree. */
    static String commandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--store") || a.equals("--key")) {
                i++; // its value
            } else if (a.startsWith("--store=") || a.startsWith("--key=") || a.equals("--debug")) {
                continue;
            } else {
                return COMMANDS.containsKey(a) && !WHOLE_TREE.contains(a) ? a : null;
            }
        }
        return null;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    /** The configuration chain with this command line's --store/--key as explicit settings. */
    SecretsConfig config() {
        return SecretsConfig.builder().environment(io.env())
                .set(SecretsConfig.STORE, store)
                .set(SecretsConfig.KEY, key)
                .build();
    }

    /** A client on the configured store. */
    SecretsClient client() {
        return client(config());
    }

    SecretsClient client(SecretsConfig cfg) {
        SecretsClient.Builder b = SecretsClient.builder().config(cfg).environment(io.env()::get)
                .principal(cfg.get(SecretsConfig.PRINCIPAL).orElse("cli:" + System.getProperty("user.name", "unknown")));
        return b.build();
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintStreamOf err = new PrintStreamOf(cl);
        String hint = "see '" + cl.getCommandSpec().qualifiedName() + " --help'";
        err.println(cl.getCommandSpec().root().name() + ": " + oneLine(e.getMessage()) + " (" + hint + ")");
        return Main.USAGE;
    }

    /** Maps {@code e} to one line on standard error and an exit status; {@code line} null for {@link QuickGet}'s {@code get}. */
    int error(Exception e, CommandLine line) {
        if (debug) {
            e.printStackTrace(io.err());
        }
        int status;
        String message;
        if (e instanceof CommandLine.ParameterException) {
            return usageError((CommandLine.ParameterException) e, null);
        } else if (e instanceof SecretNotFoundException) {
            status = Main.NOT_FOUND;
            message = e.getMessage();
        } else if (e instanceof UsageException) {
            status = Main.USAGE;
            message = e.getMessage() + " (see '" + (line == null ? "secrets get" : line.getCommandSpec().qualifiedName()) + " --help')";
        } else if (e instanceof ConfigurationException || e instanceof InvalidSecretException || e instanceof CliException
                || e instanceof dev.secrets.SecretsException) {
            status = Main.ERROR;
            message = e.getMessage();
        } else {
            status = Main.ERROR;
            message = "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + (debug ? "" : " (run with --debug for details)");
        }
        io.err().println("secrets: " + oneLine(message));
        return status;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    /** Writes to picocli's error writer of a command line. */
    private static final class PrintStreamOf {
        private final CommandLine cl;

        PrintStreamOf(CommandLine cl) {
            this.cl = cl;
        }

        void println(String s) {
            cl.getErr().println(s);
            cl.getErr().flush();
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SecretsCommand.class.getPackage().getImplementationVersion();
            return new String[] {"secrets " + (v == null ? "(development build)" : v)};
        }
    }
}
