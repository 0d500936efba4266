package dev.secrets.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One page of {@link ObjectStore#list}: keys in {@link String#compareTo} order, whether more keys
 * follow the last one, and — when the store knows them — each object's {@linkplain StoredObject#etag ETag}.
 *
 * @param keys the keys of the page
 * @param truncated whether more keys follow
 * @param etags the ETag of each key's object, in the order of {@code keys} (an element may be
 *     {@code null}), or {@code null} when the store gives none
 */
public record ListPage(List<String> keys, boolean truncated, List<String> etags) {
    public ListPage {
        keys = List.copyOf(keys);
        if (etags != null) {
            if (etags.size() != keys.size()) {
                throw new IllegalArgumentException("one ETag per key");
            }
            etags = Collections.unmodifiableList(new ArrayList<>(etags)); // elements may be null
        }
    }

    /** A page without ETags. */
    public ListPage(List<String> keys, boolean truncated) {
        this(keys, truncated, null);
    }

    /** The ETag the listing gave for the {@code i}-th key, or {@code null} when it gave none. */
    public String etag(int i) {
        return etags == null ? null : etags.get(i);
    }
}
