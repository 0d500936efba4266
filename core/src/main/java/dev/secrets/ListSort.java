package dev.secrets;

/**
 * The order of a sorted listing: by ID ({@code name}), by creation date ({@code created-date}) or by the
 * date of the last change ({@code last-changed-date}), ascending or descending, as AWS Secrets Manager's
 * {@code ListSecrets} {@code SortBy} and {@code SortOrder}. Ties are broken by ID.
 */
public record ListSort(By by, boolean descending) {
    /** What a listing is sorted by. */
    public enum By {
        NAME("name"), CREATED_DATE("created-date"), LAST_CHANGED_DATE("last-changed-date");

        private final String text;

        By(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /**
         * @throws InvalidSecretException for a text other than name, created-date or last-changed-date
         */
        public static By of(String text) {
            for (By b : values()) {
                if (b.text.equals(text)) {
                    return b;
                }
            }
            throw new InvalidSecretException("unknown sort '" + text + "'; use name, created-date or last-changed-date");
        }
    }

    public ListSort {
        java.util.Objects.requireNonNull(by, "by");
    }

    /** Ascending by {@code by}. */
    public static ListSort ascending(By by) {
        return new ListSort(by, false);
    }

    /** Descending by {@code by}. */
    public static ListSort descending(By by) {
        return new ListSort(by, true);
    }

    /**
     * Parses a sort key and an order ({@code asc} or {@code desc}; null for ascending).
     *
     * @throws InvalidSecretException for an unknown key or order
     */
    public static ListSort parse(String by, String order) {
        boolean desc;
        if (order == null || order.equals("asc")) {
            desc = false;
        } else if (order.equals("desc")) {
            desc = true;
        } else {
            throw new InvalidSecretException("unknown sort order '" + order + "'; use asc or desc");
        }
        return new ListSort(By.of(by), desc);
    }
}
