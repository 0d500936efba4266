package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets put}: a new version of an existing secret. */
@Command(name = "put", sortOptions = false, description = {"Store a new version of a secret.",
        "Without --label it becomes CURRENT and the old CURRENT becomes PREVIOUS; with --label only those labels move.",
        "The value comes from --value, --json, --file, or standard input."},
        footer = {"", "Examples:", "  printf '%s' \"$TOKEN\" | secrets put prod/api-token",
                "  secrets put prod/app-db --file creds.json --label PENDING"})
final class PutCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Option(names = "--label", paramLabel = "LABEL", converter = Converters.LabelName.class,
            description = "a label for the new version (repeatable; default CURRENT)")
    List<Label> labels;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "idempotency token: becomes the version ID; the same token with the same value writes nothing")
    String token;

    @Option(names = "--if-current", paramLabel = "VERSION_ID",
            description = "check-and-set: write only if VERSION_ID is still CURRENT; otherwise fail and write nothing")
    String ifCurrent;

    @Mixin
    ValueInput value;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text or json (default: text)")
    CreateCommand.Format output = CreateCommand.Format.TEXT;

    @Override
    public Integer call() {
        value.check();
        try (SecretsClient c = client()) {
            SecretDescription d = c.describeSecret(id);
            SecretValue v = value.read(d.kind(), io(), id);
            List<Label> ls = labels == null || labels.isEmpty() ? null : labels;
            String versionId = c.putSecretValue(new PutSecretValueRequest(id, v, token, ls, ifCurrent));
            value.warnIfOnCommandLine(io());
            List<Label> shown = ls == null ? List.of(Label.CURRENT) : ls;
            if (output == CreateCommand.Format.JSON) {
                ObjectNode n = CliJson.JSON.createObjectNode();
                n.put("id", id);
                n.put("versionId", versionId);
                n.set("labels", Views.labelsJson(shown));
                printJson(n);
            } else {
                out().println("stored version " + versionId + " of " + id + " with labels " + Views.labels(shown));
            }
        }
        return Main.OK;
    }
}
