package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code secrets keys}: master keys. */
@Command(name = "keys", description = "Generate and rotate master keys.",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: generate or rotate");
    }

    /** {@code secrets keys generate}: a new root key (32 random bytes, base64) in a file only its owner can read. */
    @Command(name = "generate", sortOptions = false, description = {"Generate a new master key: 32 random bytes, base64,",
            "into a new file of mode 0600 (never overwritten), or on standard output with --print."},
            footer = {"", "Examples:", "  secrets keys generate --out ~/.secrets/master.key",
                    "  export SECRETS_KEY_B64=\"$(secrets keys generate --print)\"; secrets --key env:SECRETS_KEY_B64 init"})
    static final class Generate extends BaseCommand {
        @Option(names = "--out", paramLabel = "PATH", description = "the new key file")
        Path out;

        @Option(names = "--print", description = "print the key on standard output instead")
        boolean print;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            if ((out == null) == !print) {
                throw new UsageException("give exactly one of --out PATH or --print");
            }
            if (print) {
                out().println(KeyFiles.newKey(new SecureRandom()));
                return Main.OK;
            }
            String uri = KeyFiles.write(out, new SecureRandom());
            if (output.json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("keyUri", uri);
                printJson(n);
            } else {
                out().println("new master key in " + uri.substring(5) + " (mode 0600); use it with --key " + uri);
            }
            return Main.OK;
        }
    }

    /** {@code secrets keys rotate}: a new version of a master key. */
    @Command(name = "rotate", description = {"Add a new version to a master key: new values are encrypted under it.",
            "Existing data keys stay under older versions until 'secrets rewrap'."},
            footer = {"", "Example:", "  secrets keys rotate && secrets rewrap"})
    static final class Rotate extends BaseCommand {
        @Option(names = "--key-name", paramLabel = "NAME", description = "the master key (default: default)")
        String keyName = "default";

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            int v;
            try (SecretsClient c = client()) {
                v = c.rotateMasterKey(keyName);
            }
            if (output.json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("keyName", keyName);
                n.put("keyVersion", v);
                printJson(n);
            } else {
                out().println("master key '" + keyName + "' is now at version " + v
                        + "; run 'secrets rewrap" + (keyName.equals("default") ? "" : " --key-name " + keyName)
                        + "' to re-wrap existing data keys");
            }
            return Main.OK;
        }
    }
}
