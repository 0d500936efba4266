package dev.secrets.cli;

import dev.secrets.SecretDescription;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code secrets describe}: every piece of metadata, never a value. */
@Command(name = "describe", description = {"Show a secret's metadata, rotation settings and versions (never its value).",
        "Works without the secret's master key."},
        footer = {"", "Example:", "  secrets describe prod/app-db --json"})
final class DescribeCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        SecretDescription d;
        String provider;
        try (SecretsClient c = client()) {
            d = c.describeSecret(id);
            provider = c.masterKeyProvider(d.keyName());
        }
        if (output.json) {
            printJson(Views.describeJson(d).put("keyProvider", provider));
        } else {
            Views.describeText(d, provider, out());
        }
        return Main.OK;
    }
}
