package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.CreateSecretRequest;
import dev.secrets.Label;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.VersionDescription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets create}: a new secret with its first value labelled CURRENT. */
@Command(name = "create", sortOptions = false, description = {"Create a secret; its first value becomes CURRENT.",
        "The value comes from --value, --json, --file, or standard input."},
        footer = {"", "Examples:",
                "  secrets create prod/app-db --kind database --json '{\"username\":\"app\",\"password\":\"…\",\"host\":\"db\"}'",
                "  secrets create prod/api-token --description 'partner API' --tag team=payments < token.txt",
                "  secrets create prod/later --no-value"})
final class CreateCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the new secret's ID")
    String id;

    @Option(names = "--kind", paramLabel = "KIND", converter = Converters.Kind.class,
            description = "rds, documentdb, redshift, database or generic (default: generic)")
    SecretKind kind = SecretKind.GENERIC;

    @Option(names = "--description", paramLabel = "TEXT", description = "what the secret is for (up to 2048 characters)")
    String description;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", converter = Converters.Pair.class, description = "a tag (repeatable)")
    List<String[]> tags = List.of();

    @Option(names = "--key-name", paramLabel = "NAME", description = "the master key to encrypt it under (default: default)")
    String keyName;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "idempotency token: becomes the version ID; repeating the same create writes nothing")
    String token;

    @Option(names = "--no-value", description = "create the secret without a value")
    boolean noValue;

    @Mixin
    ValueInput value;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text or json (default: text)")
    Format output = Format.TEXT;

    enum Format { TEXT, JSON }

    @Override
    public Integer call() {
        if (noValue && value.given()) {
            throw new UsageException("--no-value and a value do not go together");
        }
        Map<String, String> t = new LinkedHashMap<>();
        for (String[] p : tags) {
            t.put(p[0], p[1] == null ? "" : p[1]);
        }
        SecretValue v = noValue ? null : value.read(kind, io(), id);
        CreateSecretRequest req = CreateSecretRequest.of(id, kind, v).withDescription(description).withTags(t)
                .withKeyName(keyName).withToken(token);
        SecretDescription d;
        try (SecretsClient c = client()) {
            d = c.createSecret(req);
        }
        value.warnIfOnCommandLine(io());
        String versionId = d.versionWith(Label.CURRENT).map(VersionDescription::versionId).orElse(null);
        if (output == Format.JSON) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", d.id().value());
            n.put("kind", d.kind().id());
            n.put("keyName", d.keyName());
            n.put("versionId", versionId);
            printJson(n);
        } else {
            out().println("created " + d.kind().id() + " secret " + d.id()
                    + (versionId == null ? " without a value" : ", version " + versionId + " is CURRENT"));
        }
        return Main.OK;
    }
}
