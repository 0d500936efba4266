package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code secrets rotate}: rotates a secret now (or resumes its rotation in progress). */
@Command(name = "rotate", description = {"Rotate a secret now, whatever its schedule, with its configured rotator;",
        "a rotation that stopped part-way is resumed from the step that did not complete."},
        footer = {"", "Example:", "  secrets rotate prod/app-db"})
final class RotateCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        String versionId;
        try (SecretsClient c = client()) {
            versionId = c.rotateNow(id);
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", id);
            n.put("versionId", versionId);
            printJson(n);
        } else {
            out().println("rotated " + id + ": version " + versionId + " is CURRENT, the old one PREVIOUS");
        }
        return Main.OK;
    }
}
