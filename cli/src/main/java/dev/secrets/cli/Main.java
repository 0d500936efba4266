package dev.secrets.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code secrets} command: {@code java -jar secrets-cli-VERSION-all.jar COMMAND …}, or the
 * {@code ./secrets} launcher at the root of the repository.
 *
 * <p>Exit status: {@value #OK} success, {@value #ERROR} error (one line on standard error; the stack
 * trace only with {@code --debug}), {@value #USAGE} wrong usage, {@value #NOT_FOUND} secret not
 * found; {@code exec} returns its command's status. A secret value is written only by {@code get},
 * and only to standard output.
 */
public final class Main {
    /** Success. */
    public static final int OK = 0;
    /** An error: the message is one line on standard error. */
    public static final int ERROR = 1;
    /** Wrong usage: unknown command or option, missing or invalid argument. */
    public static final int USAGE = 2;
    /** The secret (or the version asked for) does not exist. */
    public static final int NOT_FOUND = 4;

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, new Io(System.in, System.out, System.err, System.getenv(), System.console() != null));
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs one command in this JVM and returns its exit status; for tests and embedding.
     *
     * @param env the environment that key URIs such as {@code env:NAME} and {@code SECRETS_*} settings are read from
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new Io(in, out, err, env, false));
    }

    static int run(String[] args, Io io) {
        int quick = QuickGet.run(args, io);
        return quick != QuickGet.NOT_QUICK ? quick : SecretsCommand.commandLine(io, args).execute(args);
    }
}
