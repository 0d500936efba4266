package dev.secrets.cli;

import dev.secrets.SecretId;

/**
 * The everyday form of {@code get}, parsed without picocli: {@code secrets [--store URI] [--key URI]
 * get ID [--field NAME]}. Scripts and container entrypoints run it on every call, and building
 * picocli's model of the command (reflection over the annotations, run by the interpreter) took
 * about half of its start-up. Any other arguments — another option, one given twice, a value that
 * looks like an option, an invalid ID, {@code --help} — are left to picocli, so usage, help and
 * their errors stay picocli's. The command itself is {@link GetCommand}, run as picocli would run it.
 */
final class QuickGet {
    /** Returned by {@link #run} when the arguments are not of the quick form. */
    static final int NOT_QUICK = -1;

    private QuickGet() {
    }

    /** Runs {@code args} when they are of the quick form and returns the exit status; else {@link #NOT_QUICK}, having done nothing. */
    static int run(String[] args, Io io) {
        String store = null;
        String key = null;
        int i = 0;
        for (; i < args.length && !args[i].equals("get"); i++) {
            String a = args[i];
            if (a.equals("--store") && store == null && i + 1 < args.length && isValue(args[i + 1])) {
                store = args[++i];
            } else if (a.startsWith("--store=") && store == null) {
                store = a.substring("--store=".length());
            } else if (a.equals("--key") && key == null && i + 1 < args.length && isValue(args[i + 1])) {
                key = args[++i];
            } else if (a.startsWith("--key=") && key == null) {
                key = a.substring("--key=".length());
            } else {
                return NOT_QUICK;
            }
        }
        String id = null;
        String field = null;
        for (i++; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--field") && field == null && i + 1 < args.length && isValue(args[i + 1])) {
                field = args[++i];
            } else if (a.startsWith("--field=") && field == null) {
                field = a.substring("--field=".length());
            } else if (id == null && isValue(a)) {
                id = a;
            } else {
                return NOT_QUICK;
            }
        }
        if (id == null || SecretId.problem(id) != null) {
            return NOT_QUICK; // picocli reports it
        }
        SecretsCommand root = new SecretsCommand(io);
        root.store = store;
        root.key = key;
        GetCommand get = new GetCommand();
        get.quickRoot = root;
        get.id = id;
        get.field = field;
        get.output = new OutputOptions();
        try {
            return get.call();
        } catch (Exception e) {
            return root.error(e, null);
        }
    }

    /** What picocli takes as an option's value or a positional parameter as it is: not empty, not an option, not an @FILE. */
    private static boolean isValue(String a) {
        return !a.isEmpty() && !a.startsWith("-") && !a.startsWith("@"); // @FILE: picocli reads arguments from FILE
    }
}
