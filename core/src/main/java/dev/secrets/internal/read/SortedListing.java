package dev.secrets.internal.read;

import dev.secrets.InvalidSecretException;
import dev.secrets.ListSecretsRequest;
import dev.secrets.ListSort;
import dev.secrets.Page;
import dev.secrets.SecretDescription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A sorted listing: every matching secret is read through the unsorted listing (ID order), sorted, and
 * cut into pages. The next token is {@code ~OFFSET}; a secret ID never contains {@code ~}, so it cannot be
 * taken for an ID token.
 */
public final class SortedListing {
    private SortedListing() {
    }

    /** The page of {@code req} (which has a sort), reading unsorted pages with {@code unsorted}. */
    public static Page<SecretDescription> page(ListSecretsRequest req, Function<ListSecretsRequest, Page<SecretDescription>> unsorted) {
        int offset = offset(req.nextToken());
        List<SecretDescription> all = new ArrayList<>();
        ListSecretsRequest r = req.sortedBy(null).withNextToken(null).withPageSize(ListSecretsRequest.MAX_PAGE_SIZE);
        while (true) {
            Page<SecretDescription> p = unsorted.apply(r);
            all.addAll(p.items());
            if (p.nextToken() == null) {
                break;
            }
            r = r.withNextToken(p.nextToken());
        }
        all.sort(order(req.sort()));
        int end = Math.min(all.size(), offset + req.pageSize());
        List<SecretDescription> items = offset >= all.size() ? List.of() : all.subList(offset, end);
        return new Page<>(items, end < all.size() ? "~" + end : null);
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        try {
            if (token.startsWith("~")) {
                int n = Integer.parseInt(token.substring(1));
                if (n >= 0) {
                    return n;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSecretException("next token '" + token + "' is not one of a sorted listing");
    }

    static Comparator<SecretDescription> order(ListSort sort) {
        Comparator<SecretDescription> byId = Comparator.comparing(d -> d.id().value());
        Comparator<SecretDescription> c = switch (sort.by()) {
            case NAME -> byId;
            case CREATED_DATE -> Comparator.comparing(SecretDescription::created, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                    .thenComparing(byId);
            case LAST_CHANGED_DATE -> Comparator.comparing(SecretDescription::lastChanged,
                    Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).thenComparing(byId);
        };
        return sort.descending() ? c.reversed() : c;
    }
}
