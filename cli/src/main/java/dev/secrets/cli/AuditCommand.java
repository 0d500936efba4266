package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsConfig;
import dev.secrets.audit.AuditLogVerifier;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code secrets audit}: the audit log. */
@Command(name = "audit", description = "Check the audit log.", subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: verify");
    }

    /** {@code secrets audit verify}: the hash chain of the JSON-lines audit log. */
    @Command(name = "verify", description = {"Check the hash chain of the audit log: a removed, reordered or altered line is reported",
            "with its line number (exit status 1)."},
            footer = {"", "Example:", "  secrets audit verify --log /var/log/secrets/audit.jsonl"})
    static final class Verify extends BaseCommand {
        @Option(names = "--log", paramLabel = "PATH", description = "the audit log (default: secrets.audit.log)")
        Path log;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            Path file = log != null ? log : Path.of(root().config().get(SecretsConfig.AUDIT_LOG).orElseThrow(() ->
                    new UsageException("no audit log given: use --log PATH or set secrets.audit.log")));
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new CliException("no audit log at " + file);
            }
            AuditLogVerifier.Result r = AuditLogVerifier.verify(file);
            if (output.json) {
                ObjectNode n = CliJson.JSON.createObjectNode();
                n.put("log", file.toString());
                n.put("valid", r.valid());
                n.put("entries", r.entries());
                n.put("lastHash", r.lastHash());
                r.problem().ifPresent(p -> {
                    n.put("line", p.line());
                    n.put("problem", p.message());
                });
                printJson(n);
            } else if (r.valid()) {
                out().println("audit log " + file + " is intact: " + r.entries() + " entries, hash chain verified");
            }
            if (!r.valid()) {
                err().println("secrets: audit log " + file + " fails verification at line " + r.problem().get().line() + ": "
                        + r.problem().get().message());
                return Main.ERROR;
            }
            return Main.OK;
        }
    }
}
