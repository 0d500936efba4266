package dev.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A listing: secrets whose ID starts with {@code prefix}, that carry every tag in {@code tags} (a tag
 * given with a null value matches any value) and that pass every {@link ListFilter} in {@code filters}
 * (AWS {@code ListSecrets} filters), {@code pageSize} (1–100) at a time.
 *
 * <p>Without {@code sort} the secrets come in ID order and a page costs one pass over the matching part of
 * the store. With a {@link ListSort} every matching secret is read and sorted before the first page is
 * returned (the next token is then a position in that order; a secret created meanwhile may shift a page).
 */
public record ListSecretsRequest(String prefix, Map<String, String> tags, int pageSize, String nextToken,
                                 boolean includeScheduledForDeletion, List<ListFilter> filters, ListSort sort) {
    public static final int MAX_PAGE_SIZE = 100;

    public ListSecretsRequest {
        prefix = prefix == null ? "" : prefix;
        tags = tags == null ? Map.of() : new LinkedHashMap<>(tags);
        filters = filters == null ? List.of() : List.copyOf(filters);
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new InvalidSecretException("page size is " + pageSize + "; it must be 1 to " + MAX_PAGE_SIZE);
        }
    }

    /** A listing without filters or sort. */
    public ListSecretsRequest(String prefix, Map<String, String> tags, int pageSize, String nextToken,
                              boolean includeScheduledForDeletion) {
        this(prefix, tags, pageSize, nextToken, includeScheduledForDeletion, List.of(), null);
    }

    public static ListSecretsRequest all() {
        return new ListSecretsRequest("", Map.of(), MAX_PAGE_SIZE, null, false);
    }

    public ListSecretsRequest withPrefix(String p) {
        return new ListSecretsRequest(p, tags, pageSize, nextToken, includeScheduledForDeletion, filters, sort);
    }

    public ListSecretsRequest withTag(String key, String value) {
        Map<String, String> t = new LinkedHashMap<>(tags);
        t.put(key, value);
        return new ListSecretsRequest(prefix, t, pageSize, nextToken, includeScheduledForDeletion, filters, sort);
    }

    public ListSecretsRequest withPageSize(int n) {
        return new ListSecretsRequest(prefix, tags, n, nextToken, includeScheduledForDeletion, filters, sort);
    }

    public ListSecretsRequest withNextToken(String t) {
        return new ListSecretsRequest(prefix, tags, pageSize, t, includeScheduledForDeletion, filters, sort);
    }

    public ListSecretsRequest includingScheduledForDeletion() {
        return new ListSecretsRequest(prefix, tags, pageSize, nextToken, true, filters, sort);
    }

    /** This request with {@code filter} added. */
    public ListSecretsRequest withFilter(ListFilter filter) {
        List<ListFilter> f = new ArrayList<>(filters);
        f.add(filter);
        return new ListSecretsRequest(prefix, tags, pageSize, nextToken, includeScheduledForDeletion, f, sort);
    }

    /** This request sorted by {@code s} (null: ID order). */
    public ListSecretsRequest sortedBy(ListSort s) {
        return new ListSecretsRequest(prefix, tags, pageSize, nextToken, includeScheduledForDeletion, filters, s);
    }

    /** Whether a secret with this ID, description and tags passes the tags and filters of this request (not the prefix). */
    public boolean matches(String id, String description, Map<String, String> secretTags) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
            String have = secretTags.get(t.getKey());
            if (have == null || (t.getValue() != null && !t.getValue().equals(have))) {
                return false;
            }
        }
        for (ListFilter f : filters) {
            if (!f.matches(id, description, secretTags)) {
                return false;
            }
        }
        return true;
    }
}
