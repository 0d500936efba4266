package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code secrets rewrap}: re-encrypts every data key under the newest version of a master key, with progress. */
@Command(name = "rewrap", description = {"Re-wrap every data key under the newest version of a master key,",
        "without touching the values. Progress is shown on standard error."},
        footer = {"", "Example:", "  secrets keys rotate && secrets rewrap"})
final class RewrapCommand extends BaseCommand {
    @Option(names = "--key-name", paramLabel = "NAME", description = "the master key (default: default)")
    String keyName = "default";

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Progress progress = new Progress(err(), io().terminal(), "re-wrapping secrets under master key '" + keyName + "'");
        int n;
        try (SecretsClient c = client()) {
            n = c.rewrap(keyName, progress::update);
        }
        progress.done();
        if (output.json) {
            ObjectNode o = CliJson.JSON.createObjectNode();
            o.put("keyName", keyName);
            o.put("rewrapped", n);
            printJson(o);
        } else {
            out().println("re-wrapped " + n + " version" + (n == 1 ? "" : "s") + " under the newest version of master key '" + keyName + "'");
        }
        return Main.OK;
    }
}
