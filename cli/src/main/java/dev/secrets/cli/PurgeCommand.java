package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code secrets purge}: removes every secret whose recovery window has passed (for a cron job). */
@Command(name = "purge", description = "Purge every secret whose recovery window has passed (for a daily cron job).",
        footer = {"", "Example:", "  secrets purge"})
final class PurgeCommand extends BaseCommand {
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        err().println("purging secrets past their recovery window…");
        int n;
        try (SecretsClient c = client()) {
            n = c.purgeExpired();
        }
        if (output.json) {
            ObjectNode o = CliJson.JSON.createObjectNode();
            o.put("purged", n);
            printJson(o);
        } else {
            out().println("purged " + n + " secret" + (n == 1 ? "" : "s"));
        }
        return Main.OK;
    }
}
