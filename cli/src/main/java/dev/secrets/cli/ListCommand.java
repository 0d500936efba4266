package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.secrets.InvalidSecretException;
import dev.secrets.ListFilter;
import dev.secrets.ListSecretsRequest;
import dev.secrets.ListSort;
import dev.secrets.Page;
import dev.secrets.SecretDescription;
import dev.secrets.SecretsClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code secrets list}: secrets by ID prefix, tags and AWS ListSecrets filters, sorted, all pages. */
@Command(name = "list", sortOptions = false, description = {"List secrets (metadata only), filtered by ID prefix, tags and",
        "filters as AWS ListSecrets defines them: name, description, tag-key, tag-value (prefix matches; description",
        "not case-sensitive), all (words in any of them); a value starting with ! excludes what it matches."},
        footer = {"", "Examples:", "  secrets list --prefix prod/", "  secrets list --tag team=payments --tag env --json",
                "  secrets list --filter name=prod/ --filter 'tag-key=!owner' --sort-by created-date --sort-order desc"})
final class ListCommand extends BaseCommand {
    @Option(names = "--prefix", paramLabel = "PREFIX", description = "only IDs starting with PREFIX")
    String prefix;

    @Option(names = "--tag", paramLabel = "KEY[=VALUE]", converter = Converters.Pair.class,
            description = "only secrets with this tag (any value when =VALUE is left out; repeatable)")
    List<String[]> tags = List.of();

    @Option(names = "--filter", paramLabel = "KEY=VALUE[,VALUE...]", converter = Converters.Filter.class,
            description = "name, description, tag-key, tag-value or all; values are alternatives, !VALUE excludes (repeatable: all must match)")
    List<ListFilter> filters = List.of();

    @Option(names = "--sort-by", paramLabel = "FIELD", description = "name, created-date or last-changed-date (default: ID order)")
    String sortBy;

    @Option(names = "--sort-order", paramLabel = "ORDER", description = "asc or desc (default asc)")
    String sortOrder;

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
        for (ListFilter f : filters) {
            req = req.withFilter(f);
        }
        if (sortBy != null || sortOrder != null) {
            try {
                req = req.sortedBy(ListSort.parse(sortBy == null ? "name" : sortBy, sortOrder));
            } catch (InvalidSecretException e) {
                throw new UsageException(e.getMessage());
            }
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
            ArrayNode a = CliJson.JSON.createArrayNode();
            all.forEach(d -> a.add(Views.describeJson(d)));
            printJson(a);
        } else if (all.isEmpty()) {
            err().println("no secrets" + (prefix == null ? "" : " with prefix " + prefix) + (tags.isEmpty() && filters.isEmpty() ? "" : " matching those tags and filters"));
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
