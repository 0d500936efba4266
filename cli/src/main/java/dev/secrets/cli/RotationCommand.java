package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.RotationDescription;
import dev.secrets.RotationOutcome;
import dev.secrets.RotationSettings;
import dev.secrets.SecretsClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets rotation}: how a secret is rotated; {@code rotation run-due} runs due rotations once. */
@Command(name = "rotation", sortOptions = false, subcommands = {RotationCommand.RunDue.class, RotationCommand.Status.class, RotationCommand.Cancel.class},
        description = {"Set how a secret is rotated: the rotator, the schedule and the rotator's parameters.",
                "Schedules: rate(N days), rate(N hours), or a cron expression (with --zone). 'secrets rotate ID' rotates now."},
        footer = {"", "Examples:", "  secrets rotation prod/api-token --rotator random-password --schedule 'rate(30 days)' --param passwordLength=40",
                "  secrets rotation prod/app-db --rotator postgresql --schedule 'cron(0 3 ? * SUN *)' --zone Europe/Paris \\",
                "      --param strategy=alternating-users --param adminSecretId=prod/pg-admin",
                "  secrets rotation prod/app-db --rotator mysql --param strategy=alternating-users \\",
                "      --param adminSecretId=prod/mysql-admin --param drain=wait --param drainTimeout=1h",
                "  secrets rotation run-due      # from cron",
                "  secrets rotation status       # overdue, failing, stuck, older than secrets.max-age",
                "  secrets rotation cancel prod/app-db"})
final class RotationCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
    String id;

    @Option(names = "--rotator", paramLabel = "NAME", description = "random-password, postgresql, mysql, redshift, h2, or a custom rotator")
    String rotator;

    @Option(names = "--schedule", paramLabel = "SCHEDULE", description = "rate(N days), rate(N hours) or a cron expression (default: on demand only)")
    String schedule;

    @Option(names = "--zone", paramLabel = "ZONE", description = "time zone of a cron schedule (default UTC)")
    String zone;

    @Option(names = "--param", paramLabel = "KEY=VALUE", converter = Converters.Pair.class, description = "a rotator parameter (repeatable)")
    List<String[]> params = List.of();

    @Option(names = "--disable", description = "keep the settings but run no scheduled rotation")
    boolean disable;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (id == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a secret ID with --rotator, or the subcommand run-due");
        }
        if (rotator == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing --rotator NAME");
        }
        Map<String, String> p = new LinkedHashMap<>();
        for (String[] kv : params) {
            p.put(kv[0], kv[1] == null ? "" : kv[1]);
        }
        RotationDescription d;
        try (SecretsClient c = client()) {
            d = c.configureRotation(id, RotationSettings.of(rotator, schedule).withZone(zone).withParameters(p).withEnabled(!disable));
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("id", id);
            n.set("rotation", Views.rotationJson(d));
            printJson(n);
        } else {
            out().println("rotation of " + id + ": rotator " + d.rotator() + ", " + (d.schedule() == null ? "on demand only" : d.schedule())
                    + (d.enabled() ? "" : " (disabled)") + (d.nextRotation() == null ? "" : ", next rotation " + Views.time(d.nextRotation())));
        }
        return Main.OK;
    }

    /** {@code secrets rotation run-due}: every due rotation, once; exit status 1 when one failed. */
    @Command(name = "run-due", description = {"Run every due rotation once, and resume rotations that stopped part-way.",
            "Exit status 1 when one of them failed (each failure is also recorded in its secret's rotation status)."},
            footer = {"", "Example (crontab):", "  */10 * * * * secrets rotation run-due"})
    static final class RunDue extends BaseCommand {
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            List<RotationOutcome> outcomes;
            try (SecretsClient c = client()) {
                outcomes = c.runDueRotations();
            }
            boolean failed = outcomes.stream().anyMatch(o -> !o.succeeded());
            if (output.json) {
                ArrayNode a = CliJson.JSON.createArrayNode();
                for (RotationOutcome o : outcomes) {
                    ObjectNode n = a.addObject();
                    n.put("id", o.secretId().value());
                    n.put("succeeded", o.succeeded());
                    n.put("versionId", o.versionId());
                    n.put("failedStep", o.failedStep());
                    n.put("error", o.error());
                }
                printJson(a);
            } else if (outcomes.isEmpty()) {
                out().println("no rotation was due");
            } else {
                for (RotationOutcome o : outcomes) {
                    out().println(o.succeeded() ? "rotated " + o.secretId() + ": version " + o.versionId() + " is CURRENT"
                            : "FAILED " + o.secretId() + " at " + o.failedStep() + ": " + o.error());
                }
            }
            if (failed) {
                err().println("secrets: some rotations failed; they are retried by the next run");
            }
            return failed ? Main.ERROR : Main.OK;
        }
    }

    /** {@code secrets rotation status}: secrets whose rotation needs attention; exit status 1 when there are any. */
    @Command(name = "status", description = {"List secrets whose rotation needs attention: overdue, failing (with the step and",
            "the reason), stuck part-way, or older than their maximum age (secrets.max-age, or the secret's tag",
            "secrets.max-age), rotated or not. Exit status 1 when any is listed."},
            footer = {"", "Example:", "  SECRETS_MAX_AGE=90d secrets rotation status --json"})
    static final class Status extends BaseCommand {
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            List<dev.secrets.RotationStatus> statuses;
            try (SecretsClient c = client()) {
                statuses = c.rotationStatus();
            }
            if (output.json) {
                ArrayNode a = CliJson.JSON.createArrayNode();
                for (dev.secrets.RotationStatus s : statuses) {
                    ObjectNode n = a.addObject();
                    n.put("id", s.id().value());
                    ArrayNode p = n.putArray("problems");
                    s.problems().stream().map(Enum::name).sorted().forEach(p::add);
                    n.put("rotator", s.rotator());
                    n.put("nextRotation", s.nextRotation() == null ? null : s.nextRotation().toString());
                    n.put("failedStep", s.failedStep());
                    n.put("error", s.lastError());
                    n.put("pendingVersion", s.pendingVersion());
                }
                printJson(a);
            } else if (statuses.isEmpty()) {
                out().println("no rotation needs attention");
            } else {
                for (dev.secrets.RotationStatus s : statuses) {
                    StringBuilder line = new StringBuilder(s.id().value()).append(": ");
                    line.append(String.join(", ", s.problems().stream().map(p -> p.name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' ')).sorted().toList()));
                    if (s.failedStep() != null) {
                        line.append(" (failed at ").append(s.failedStep()).append(s.lastError() == null ? "" : ": " + s.lastError())
                                .append(')');
                    }
                    out().println(line);
                }
            }
            return statuses.isEmpty() ? Main.OK : Main.ERROR;
        }
    }

    /** {@code secrets rotation cancel ID}: as AWS CancelRotateSecret. */
    @Command(name = "cancel", description = {"Cancel rotation: turn the schedule off and stop a rotation in progress; the database",
            "is set back to the CURRENT credentials and the PENDING label removed, so that a later 'secrets rotate'",
            "starts fresh. 'secrets rotation ID --rotator …' turns the schedule on again."},
            footer = {"", "Example:", "  secrets rotation cancel prod/app-db"})
    static final class Cancel extends BaseCommand {
        @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "the secret")
        String id;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            RotationDescription d;
            try (SecretsClient c = client()) {
                d = c.cancelRotation(id);
            }
            if (output.json) {
                ObjectNode n = CliJson.JSON.createObjectNode();
                n.put("id", id);
                n.set("rotation", Views.rotationJson(d));
                printJson(n);
            } else {
                out().println("rotation of " + id + " cancelled: schedule off" + (d.pendingVersion() == null ? ""
                        : "; the rotation in progress stops at its next step"));
            }
            return Main.OK;
        }
    }
}
