package dev.secrets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.secrets.SecretId;
import dev.secrets.SecretsClient;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command has: the root command's options and streams, a client, JSON output. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The root when the command runs without picocli ({@link QuickGet}); else null and the root comes from {@link #spec}. */
    SecretsCommand quickRoot;

    SecretsCommand root() {
        return quickRoot != null ? quickRoot : (SecretsCommand) spec.root().userObject();
    }

    Io io() {
        return root().io;
    }

    PrintStream out() {
        return io().out();
    }

    PrintStream err() {
        return io().err();
    }

    SecretsClient client() {
        return root().client();
    }

    /** Prints a JSON document on standard output. */
    void printJson(JsonNode node) {
        try {
            out().println(CliJson.JSON.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("could not write JSON output", e);
        }
    }

    /** Validates a secret ID given as an argument: a bad one is wrong usage (exit 2), nothing is written. */
    static String secretId(CommandSpec spec, String id) {
        String problem = SecretId.problem(id);
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
        return id;
    }
}
