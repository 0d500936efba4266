package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.Label;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets label}: moves a label to a version in one atomic step, or removes it. */
@Command(name = "label", sortOptions = false, description = {"Move a label to a version in one atomic step (or remove it).",
        "Moving CURRENT gives PREVIOUS to the version that had it: this is how to roll back."},
        footer = {"", "Examples:", "  secrets label prod/app-db CURRENT 0b7c…   # roll back to that version",
                "  secrets label prod/app-db blue --remove"})
final class LabelCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Parameters(index = "1", paramLabel = "LABEL", converter = Converters.LabelName.class, description = "the label")
    Label label;

    @Parameters(index = "2", paramLabel = "VERSION", arity = "0..1", description = "the version to put it on")
    String versionId;

    @Option(names = "--remove", description = "remove the label from the version that has it")
    boolean remove;

    @Option(names = "--expect-from", paramLabel = "VERSION",
            description = "move only if the label is on this version now (else: conflict, nothing changes)")
    String expectFrom;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (remove == (versionId != null)) {
            throw new UsageException(remove ? "--remove takes no VERSION" : "give the VERSION to move the label to, or --remove");
        }
        try (SecretsClient c = client()) {
            if (remove) {
                c.removeLabel(id, label);
            } else {
                c.moveLabel(id, label, versionId, expectFrom);
            }
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", id);
            n.put("label", label.name());
            n.put("versionId", versionId);
            printJson(n);
        } else {
            out().println(remove ? "removed label " + label + " from " + id : "moved label " + label + " of " + id + " to version " + versionId);
        }
        return Main.OK;
    }
}
