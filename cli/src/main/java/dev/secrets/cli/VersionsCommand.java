package dev.secrets.cli;

import dev.secrets.SecretDescription;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code secrets versions}: a secret's versions with their labels, newest first. */
@Command(name = "versions", description = "List a secret's versions with their labels, newest first.",
        footer = {"", "Example:", "  secrets versions prod/app-db"})
final class VersionsCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        SecretDescription d;
        try (SecretsClient c = client()) {
            d = c.describeSecret(id);
        }
        if (output.json) {
            printJson(Views.versionsJson(d.versions()));
        } else {
            Views.versionsText(d.versions(), out(), "");
        }
        return Main.OK;
    }
}
