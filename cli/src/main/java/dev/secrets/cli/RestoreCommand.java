package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code secrets restore}: cancels a scheduled deletion. */
@Command(name = "restore", description = "Cancel a secret's scheduled deletion.",
        footer = {"", "Example:", "  secrets restore prod/old-token"})
final class RestoreCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        try (SecretsClient c = client()) {
            c.restoreSecret(id);
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", id);
            n.put("restored", true);
            printJson(n);
        } else {
            out().println("restored " + id + "; it can be read again");
        }
        return Main.OK;
    }
}
