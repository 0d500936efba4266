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
@Command(name = "rotation", sortOptions = false, subcommands = RotationCommand.RunDue.class,
        description = {"Set how a secret is rotated: the rotator, the schedule and the rotator's parameters.",
                "Schedules: rate(N days), rate(N hours), or a cron expression (with --zone). 'secrets rotate ID' rotates now."},
        footer = {"", "Examples:", "  secrets rotation prod/api-token --rotator random-password --schedule 'rate(30 days)' --param passwordLength=40",
                "  secrets rotation prod/app-db --rotator postgresql --schedule 'cron(0 3 ? * SUN *)' --zone Europe/Paris \\",
                "      --param strategy=alternating-users --param adminSecretId=prod/pg-admin",
                "  secrets rotation run-due      # from cron"})
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
            ObjectNode n = JSON.createObjectNode();
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
                ArrayNode a = JSON.createArrayNode();
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
}
