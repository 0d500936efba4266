package dev.secrets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A listing: secrets whose ID starts with {@code prefix} and that carry every tag in {@code tags}
 * (a tag given with a null value matches any value), {@code pageSize} (1–100) at a time.
 */
public record ListSecretsRequest(String prefix, Map<String, String> tags, int pageSize, String nextToken,
                                 boolean includeScheduledForDeletion) {
    public static final int MAX_PAGE_SIZE = 100;

    public ListSecretsRequest {
        prefix = prefix == null ? "" : prefix;
        tags = tags == null ? Map.of() : new LinkedHashMap<>(tags);
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new InvalidSecretException("page size is " + pageSize + "; it must be 1 to " + MAX_PAGE_SIZE);
        }
    }

    public static ListSecretsRequest all() {
        return new ListSecretsRequest("", Map.of(), MAX_PAGE_SIZE, null, false);
    }

    public ListSecretsRequest withPrefix(String p) {
        return new ListSecretsRequest(p, tags, pageSize, nextToken, includeScheduledForDeletion);
    }

    public ListSecretsRequest withTag(String key, String value) {
        Map<String, String> t = new LinkedHashMap<>(tags);
        t.put(key, value);
        return new ListSecretsRequest(prefix, t, pageSize, nextToken, includeScheduledForDeletion);
    }

    public ListSecretsRequest withPageSize(int n) {
        return new ListSecretsRequest(prefix, tags, n, nextToken, includeScheduledForDeletion);
    }

    public ListSecretsRequest withNextToken(String t) {
        return new ListSecretsRequest(prefix, tags, pageSize, t, includeScheduledForDeletion);
    }

    public ListSecretsRequest includingScheduledForDeletion() {
        return new ListSecretsRequest(prefix, tags, pageSize, nextToken, true);
    }
}
