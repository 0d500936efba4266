package dev.secrets.cli;

import dev.secrets.ConfigurationException;
import dev.secrets.InvalidSecretException;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
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
                "", "Exit status: 0 success, 1 error, 2 wrong usage, 4 secret not found."},
        subcommands = {InitCommand.class, CreateCommand.class, PutCommand.class, GetCommand.class, DescribeCommand.class,
                ListCommand.class, VersionsCommand.class, LabelCommand.class, DestroyCommand.class, DeleteCommand.class, RestoreCommand.class,
                PurgeCommand.class, RotationCommand.class, RotateCommand.class, RandomPasswordCommand.class, KeysCommand.class,
                RewrapCommand.class, AuditCommand.class, ExecCommand.class, DemoCommand.class,
                CompletionCommand.class, CommandLine.HelpCommand.class})
final class SecretsCommand implements Runnable {
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

    static CommandLine commandLine(Io io) {
        SecretsCommand root = new SecretsCommand(io);
        CommandLine cl = new CommandLine(root);
        cl.setOut(new java.io.PrintWriter(io.out(), true));
        cl.setErr(new java.io.PrintWriter(io.err(), true));
        cl.setParameterExceptionHandler(SecretsCommand::usageError);
        cl.setExecutionExceptionHandler((e, line, parsed) -> root.error(e, line));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // exec: everything from COMMAND on is the command's own, options included.
        cl.getSubcommands().get("exec").setStopAtPositional(true);
        return cl;
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

    private int error(Exception e, CommandLine line) {
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
            message = e.getMessage() + " (see '" + line.getCommandSpec().qualifiedName() + " --help')";
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
