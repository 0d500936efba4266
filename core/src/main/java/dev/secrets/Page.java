package dev.secrets;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing and the token for the next page (absent on the last page).
 *
 * @param items     this page's items
 * @param nextToken pass to the next request to continue, or null when this was the last page
 */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextToken);
    }
}
