package dev.secrets.spi;

import java.util.List;

/**
 * One page of {@link ObjectStore#list}: keys in {@link String#compareTo} order, and whether more
 * keys follow the last one.
 */
public record ListPage(List<String> keys, boolean truncated) {
    public ListPage {
        keys = List.copyOf(keys);
    }
}
