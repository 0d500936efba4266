package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code secrets destroy}: destroys the value of one version, for a value that leaked. */
@Command(name = "destroy", sortOptions = false, description = {"Destroy the value of one version (after it leaked).",
        "Its ciphertext is removed from the store for good; the version stays listed as destroyed, without labels,",
        "and can never be read again. The other versions are untouched. CURRENT cannot be destroyed: put a new value first."},
        footer = {"", "Example:", "  secrets put prod/api-token < new-token && secrets destroy prod/api-token 0b7c…"})
final class DestroyCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version whose value is destroyed")
    String versionId;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        try (SecretsClient c = client()) {
            c.destroySecretVersion(id, versionId);
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", id);
            n.put("versionId", versionId);
            n.put("destroyed", true);
            printJson(n);
        } else {
            out().println("destroyed the value of version " + versionId + " of " + id);
        }
        return Main.OK;
    }
}
