package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.ListFilter;
import dev.secrets.ListSecretsRequest;
import dev.secrets.ListSort;
import dev.secrets.Page;
import dev.secrets.SecretDescription;
import dev.secrets.VersionDescription;
import dev.secrets.server.internal.auth.AccessKeyStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;


/**
 * ListSecrets (AWS's filters, sort and paging, done by the library's listing) and ListSecretVersionIds.
 */
final class ListActions {
    private final Context ctx;

    ListActions(Context ctx) {
        this.ctx = ctx;
    }

    record Listed(List<SecretDescription> items, String nextToken) {
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

    /** One page of the secrets matching the request's {@code Filters}, listed and filtered by the library. */
    Listed filtered(Call call, int maxPage) {
        List<ListFilter> filters = filters(call.node("Filters"));
        // The server's own secrets are never listed, whatever the caller asks.
        filters.add(new ListFilter(ListFilter.Key.NAME, List.of("!" + AccessKeyStore.RESERVED_PREFIX)));
        int max = call.number("MaxResults") == null ? maxPage : call.number("MaxResults").intValue();
        if (max < 1 || max > maxPage) {
            throw AwsError.invalidParameter("MaxResults must be 1 to " + maxPage + ".");
        }
        String by = call.string("SortBy");
        String order = call.string("SortOrder");
        ListSort sort = by == null && order == null ? null : ListSort.parse(by == null ? "name" : by, order);
        boolean planned = Boolean.TRUE.equals(call.bool("IncludePlannedDeletion"));
        Page<SecretDescription> p = ctx.client().listSecrets(
                new ListSecretsRequest("", Map.of(), max, call.string("NextToken"), planned, filters, sort));
        return new Listed(p.items(), p.nextToken());
    }

    private static List<ListFilter> filters(JsonNode n) {
        List<ListFilter> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw AwsError.serialization("Filters must be a list of {Key, Values}");
        }
        for (JsonNode f : n) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : f.path("Values")) {
                values.add(v.asText());
            }
            out.add(new ListFilter(ListFilter.Key.of(f.path("Key").asText("")), values));
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
