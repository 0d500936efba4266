package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.ListSecretsRequest;
import dev.secrets.Page;
import dev.secrets.SecretDescription;
import dev.secrets.VersionDescription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;


/**
 * ListSecrets (AWS's filters and paging) and ListSecretVersionIds. Until the library filters
 * (branch spring-reload), the filters run here over the library's pages; a page token is the last
 * name returned, so secrets created or deleted between pages neither repeat nor shift the rest.
 */
final class ListActions {
    private final Context ctx;

    ListActions(Context ctx) {
        this.ctx = ctx;
    }

    record Listed(List<SecretDescription> items, String nextToken) {
    }

    private record Filter(String key, List<String> values) {
        boolean matches(SecretDescription d) {
            boolean anyPositive = false;
            boolean positiveHit = false;
            for (String raw : values) {
                boolean negate = raw.startsWith("!");
                String v = negate ? raw.substring(1) : raw;
                boolean hit = hit(d, v);
                if (negate && hit) {
                    return false;
                }
                if (!negate) {
                    anyPositive = true;
                    positiveHit |= hit;
                }
            }
            return !anyPositive || positiveHit;
        }

        private boolean hit(SecretDescription d, String v) {
            String name = d.id().value();
            String desc = d.description() == null ? "" : d.description();
            switch (key) {
                case "name": return name.startsWith(v);
                case "description": return desc.startsWith(v);
                case "tag-key": return d.tags().keySet().stream().anyMatch(k -> k.startsWith(v));
                case "tag-value": return d.tags().values().stream().anyMatch(x -> x.startsWith(v));
                case "all":
                    String lv = v.toLowerCase(Locale.ROOT);
                    return name.toLowerCase(Locale.ROOT).startsWith(lv) || desc.toLowerCase(Locale.ROOT).startsWith(lv)
                            || d.tags().entrySet().stream().anyMatch(e -> e.getKey().toLowerCase(Locale.ROOT).startsWith(lv)
                                    || e.getValue().toLowerCase(Locale.ROOT).startsWith(lv));
                default: return false;
            }
        }
    }

    ObjectNode list(Call call) {
        ctx.authorize(call, "ListSecrets", "*", null);
        Listed page = filtered(call, 100);
        ArrayNode list = Views.F.arrayNode();
        for (SecretDescription d : page.items()) {
            list.add(Views.describe(ctx, d, true));
        }
        ObjectNode o = Views.object();
        o.set("SecretList", list);
        if (page.nextToken() != null) {
            o.put("NextToken", page.nextToken());
        }
        return o;
    }

    /** One page of the secrets matching the request's {@code Filters}, by name. */
    Listed filtered(Call call, int maxPage) {
        List<Filter> filters = filters(call.node("Filters"));
        int max = call.number("MaxResults") == null ? maxPage : call.number("MaxResults").intValue();
        if (max < 1 || max > maxPage) {
            throw AwsError.invalidParameter("MaxResults must be 1 to " + maxPage + ".");
        }
        boolean descending = "desc".equalsIgnoreCase(call.string("SortOrder"));
        String after = call.string("NextToken") == null ? null : decode(call.string("NextToken"));
        boolean planned = Boolean.TRUE.equals(call.bool("IncludePlannedDeletion"));
        String prefix = "";
        if (filters.size() == 1 && filters.get(0).key().equals("name") && filters.get(0).values().size() == 1
                && !filters.get(0).values().get(0).startsWith("!")) {
            prefix = filters.get(0).values().get(0);
        }
        List<SecretDescription> all = new ArrayList<>();
        String token = null;
        do {
            ListSecretsRequest req = ListSecretsRequest.all().withPrefix(prefix).withPageSize(ListSecretsRequest.MAX_PAGE_SIZE)
                    .withNextToken(token);
            if (planned) {
                req = req.includingScheduledForDeletion();
            }
            Page<SecretDescription> p = ctx.client().listSecrets(req);
            for (SecretDescription d : p.items()) {
                if (!Context.reserved(d.id().value()) && filters.stream().allMatch(f -> f.matches(d))) {
                    all.add(d);
                }
            }
            token = p.nextToken();
        } while (token != null);
        Comparator<SecretDescription> byName = Comparator.comparing(d -> d.id().value());
        all.sort(descending ? byName.reversed() : byName);
        List<SecretDescription> out = new ArrayList<>();
        for (SecretDescription d : all) {
            String n = d.id().value();
            if (after != null && (descending ? n.compareTo(after) >= 0 : n.compareTo(after) <= 0)) {
                continue;
            }
            if (out.size() == max) {
                return new Listed(out, encode(out.get(out.size() - 1).id().value()));
            }
            out.add(d);
        }
        return new Listed(out, null);
    }

    private static List<Filter> filters(JsonNode n) {
        List<Filter> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw AwsError.serialization("Filters must be a list of {Key, Values}");
        }
        for (JsonNode f : n) {
            String key = f.path("Key").asText("");
            if (!List.of("name", "description", "tag-key", "tag-value", "all", "primary-region", "owning-service").contains(key)) {
                throw AwsError.invalidParameter("Invalid filter key: " + key.replaceAll("[^A-Za-z0-9-]", "?"));
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : f.path("Values")) {
                values.add(v.asText());
            }
            if (values.isEmpty() || values.size() > 10) {
                throw AwsError.invalidParameter("A filter has 1 to 10 values.");
            }
            out.add(new Filter(key, values));
        }
        return out;
    }

    ObjectNode versions(Call call) {
        Context.Target t = ctx.target(call, "ListSecretVersionIds");
        boolean deprecated = Boolean.TRUE.equals(call.bool("IncludeDeprecated"));
        int max = call.number("MaxResults") == null ? 100 : call.number("MaxResults").intValue();
        if (max < 1 || max > 100) {
            throw AwsError.invalidParameter("MaxResults must be 1 to 100.");
        }
        int from = 0;
        if (call.string("NextToken") != null) {
            try {
                from = Integer.parseInt(decode(call.string("NextToken")));
            } catch (NumberFormatException e) {
                throw AwsError.invalidParameter("Invalid NextToken.");
            }
        }
        List<VersionDescription> vs = new ArrayList<>();
        for (VersionDescription v : t.description().versions()) {
            if (deprecated || !v.labels().isEmpty()) {
                vs.add(v);
            }
        }
        ArrayNode out = Views.F.arrayNode();
        for (int i = from; i < Math.min(vs.size(), from + max); i++) {
            VersionDescription v = vs.get(i);
            ObjectNode e = out.addObject().put("VersionId", v.versionId());
            e.set("VersionStages", Views.labels(v.labels()));
            e.set("CreatedDate", Views.time(v.created()));
            e.putArray("KmsKeyIds").add(t.description().keyName());
        }
        ObjectNode o = Views.object();
        o.set("Versions", out);
        if (from + max < vs.size()) {
            o.put("NextToken", encode(String.valueOf(from + max)));
        }
        return o.put("ARN", t.arn()).put("Name", t.name());
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsError.invalidParameter("Invalid NextToken.");
        }
    }

}
