package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.ValueType;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets get}: the one command that prints a value, and only on standard output. */
@Command(name = "get", sortOptions = false, description = {"Print a secret's value on standard output (CURRENT unless asked otherwise).",
        "Text is printed with a newline, key/value as a JSON object, binary as its raw bytes."},
        footer = {"", "Examples:", "  secrets get prod/api-token", "  secrets get prod/app-db --field password",
                "  secrets get prod/app-db --label PREVIOUS --json"})
final class GetCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Option(names = "--label", paramLabel = "LABEL", converter = Converters.LabelName.class,
            description = "the version carrying this label")
    Label label;

    @Option(names = "--version-id", paramLabel = "VERSION", description = "this version")
    String versionId;

    @Option(names = "--field", paramLabel = "NAME", description = "only this field of a key/value secret")
    String field;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        SecretVersion v;
        try (SecretsClient c = client()) {
            v = c.getSecretValue(new GetSecretValueRequest(id, label, versionId, true));
        }
        SecretValue value = v.value();
        if (field != null) {
            if (value.type() != ValueType.KEY_VALUE) {
                throw new CliException("secret '" + id + "' holds " + typeName(value.type()) + ", not key/value fields; drop --field");
            }
            if (!value.fields().containsKey(field)) {
                throw new CliException("secret '" + id + "' has no field '" + field + "' (its fields: "
                        + String.join(", ", value.fields().keySet()) + ")");
            }
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", v.secretId().value());
            n.put("versionId", v.versionId());
            n.set("labels", Views.labelsJson(v.labels()));
            n.put("created", v.created().toString());
            n.put("type", typeName(value.type()));
            if (field != null) {
                n.put("field", field);
                n.put("value", value.fields().get(field));
            } else if (value.type() == ValueType.KEY_VALUE) {
                n.set("value", CliJson.JSON.readTree(value.bytes()));
            } else if (value.type() == ValueType.TEXT) {
                n.put("value", value.text());
            } else {
                n.put("value", Base64.getEncoder().encodeToString(value.bytes()));
            }
            printJson(n);
        } else if (field != null) {
            String f = value.fields().get(field);
            out().println(f == null ? "" : f);
        } else if (value.type() == ValueType.BINARY) {
            out().write(value.bytes());
        } else {
            out().println(value.text());
        }
        out().flush();
        return Main.OK;
    }

    static String typeName(ValueType t) {
        return t.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
