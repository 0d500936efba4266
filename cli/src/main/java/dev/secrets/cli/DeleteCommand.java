package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets delete}: schedules deletion (7–30 days to change one's mind) or deletes at once. */
@Command(name = "delete", sortOptions = false, description = {"Schedule a secret's deletion after a recovery window (default 30 days),",
        "or delete it at once with --force. 'secrets restore' cancels a scheduled deletion."},
        footer = {"", "Examples:", "  secrets delete prod/old-token --recovery-days 7", "  secrets delete scratch/test --force"})
final class DeleteCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Option(names = "--recovery-days", paramLabel = "DAYS", description = "days before it is purged, 7 to 30 (default 30)")
    Integer recoveryDays;

    @Option(names = "--force", description = "delete at once, with no recovery")
    boolean force;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (force && recoveryDays != null) {
            throw new UsageException("--force and --recovery-days do not go together");
        }
        if (recoveryDays != null && (recoveryDays < 7 || recoveryDays > 30)) {
            throw new UsageException("--recovery-days is " + recoveryDays + "; it must be 7 to 30");
        }
        Instant when = null;
        try (SecretsClient c = client()) {
            if (force) {
                c.forceDeleteSecret(id);
            } else {
                when = c.deleteSecret(id, recoveryDays == null ? 30 : recoveryDays);
            }
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", id);
            n.put("deleted", force);
            n.put("deletionDate", when == null ? null : when.toString());
            printJson(n);
        } else if (force) {
            out().println("deleted " + id + " permanently");
        } else {
            out().println("scheduled deletion of " + id + " on " + Views.time(when) + "; 'secrets restore " + id + "' cancels it");
        }
        return Main.OK;
    }
}
