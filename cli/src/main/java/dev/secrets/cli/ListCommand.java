package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.secrets.ListSecretsRequest;
import dev.secrets.Page;
import dev.secrets.SecretDescription;
import dev.secrets.SecretsClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code secrets list}: secrets by ID prefix and tags, all pages. */
@Command(name = "list", sortOptions = false, description = "List secrets (metadata only), filtered by ID prefix and tags.",
        footer = {"", "Examples:", "  secrets list --prefix prod/", "  secrets list --tag team=payments --tag env --json"})
final class ListCommand extends BaseCommand {
    @Option(names = "--prefix", paramLabel = "PREFIX", description = "only IDs starting with PREFIX")
    String prefix;

    @Option(names = "--tag", paramLabel = "KEY[=VALUE]", converter = Converters.Pair.class,
            description = "only secrets with this tag (any value when =VALUE is left out; repeatable)")
    List<String[]> tags = List.of();

    @Option(names = "--include-deleted", description = "include secrets scheduled for deletion")
    boolean includeDeleted;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ListSecretsRequest req = ListSecretsRequest.all().withPrefix(prefix);
        for (String[] t : tags) {
            req = req.withTag(t[0], t[1]);
        }
        if (includeDeleted) {
            req = req.includingScheduledForDeletion();
        }
        List<SecretDescription> all = new ArrayList<>();
        try (SecretsClient c = client()) {
            while (true) {
                Page<SecretDescription> p = c.listSecrets(req);
                all.addAll(p.items());
                if (p.nextToken() == null) {
                    break;
                }
                req = req.withNextToken(p.nextToken());
            }
        }
        if (output.json) {
            ArrayNode a = JSON.createArrayNode();
            all.forEach(d -> a.add(Views.describeJson(d)));
            printJson(a);
        } else if (all.isEmpty()) {
            err().println("no secrets" + (prefix == null ? "" : " with prefix " + prefix) + (tags.isEmpty() ? "" : " with those tags"));
        } else {
            int w = Math.max(2, all.stream().mapToInt(d -> d.id().value().length()).max().orElse(2));
            String fmt = "%-" + w + "s  %-10s  %-10s  %-20s  %s%n";
            out().printf(fmt, "ID", "KIND", "KEY", "LAST CHANGED", "TAGS");
            for (SecretDescription d : all) {
                out().printf(fmt, d.id().value(), d.kind().id(), d.keyName(), Views.time(d.lastChanged()),
                        Views.tags(d.tags()) + (d.isScheduledForDeletion() ? "  (deletion " + Views.time(d.deletionDate()) + ")" : ""));
            }
        }
        return Main.OK;
    }
}
