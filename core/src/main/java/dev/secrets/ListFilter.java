package dev.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One filter of a listing, as AWS Secrets Manager's {@code ListSecrets} defines it: a key and 1–10
 * values (each at most 512 characters of {@code A-Z a-z 0-9 space : _ @ / + = . - !}).
 *
 * <ul>
 *   <li>{@link Key#NAME}: the secret ID begins with the value; case-sensitive.</li>
 *   <li>{@link Key#DESCRIPTION}: the description begins with the value; not case-sensitive.</li>
 *   <li>{@link Key#TAG_KEY}: some tag key begins with the value; case-sensitive.</li>
 *   <li>{@link Key#TAG_VALUE}: some tag value begins with the value; case-sensitive.</li>
 *   <li>{@link Key#ALL}: the value is broken into words (at every change from lower to upper case, from
 *       letter to digit and at every other character); some word of the ID, the description, a tag key or
 *       a tag value begins with one of those words; not case-sensitive.</li>
 * </ul>
 * A value that begins with {@code !} is negated: the secret must not match it. A filter matches when
 * one of its plain values matches (or it has none) and none of its negated values does. A listing's
 * filters must all match. Immutable.
 */
public record ListFilter(Key key, List<String> values) {
    /** At most this many values per filter. */
    public static final int MAX_VALUES = 10;
    /** At most this many characters per value. */
    public static final int MAX_VALUE_LENGTH = 512;
    private static final Pattern VALUE = Pattern.compile("!?[a-zA-Z0-9 :_@/+=.\\-!]*");

    /** What a filter looks at. */
    public enum Key {
        NAME("name"), DESCRIPTION("description"), TAG_KEY("tag-key"), TAG_VALUE("tag-value"), ALL("all");

        private final String text;

        Key(String text) {
            this.text = text;
        }

        /** The key as AWS writes it: {@code name}, {@code description}, {@code tag-key}, {@code tag-value}, {@code all}. */
        public String text() {
            return text;
        }

        /**
         * The key written as AWS writes it.
         *
         * @throws InvalidSecretException for any other text
         */
        public static Key of(String text) {
            for (Key k : values()) {
                if (k.text.equals(text)) {
                    return k;
                }
            }
            throw new InvalidSecretException("unknown filter key '" + text + "'; use name, description, tag-key, tag-value or all");
        }
    }

    /**
     * @throws InvalidSecretException when there are no values, more than {@value #MAX_VALUES}, or a value is too long
     *     or has a character outside the allowed set
     */
    public ListFilter {
        Objects.requireNonNull(key, "key");
        if (values == null || values.isEmpty() || values.size() > MAX_VALUES) {
            throw new InvalidSecretException("filter " + key.text() + " needs 1 to " + MAX_VALUES + " values");
        }
        values = List.copyOf(values);
        for (String v : values) {
            if (v.length() > MAX_VALUE_LENGTH) {
                throw new InvalidSecretException("a value of filter " + key.text() + " is longer than " + MAX_VALUE_LENGTH + " characters");
            }
            if (!VALUE.matcher(v).matches()) {
                throw new InvalidSecretException("value '" + v + "' of filter " + key.text()
                        + " has a character other than letters, digits, space and : _ @ / + = . - !");
            }
        }
    }

    /** A filter on {@code key} with {@code values}. */
    public static ListFilter of(Key key, String... values) {
        return new ListFilter(key, List.of(values));
    }

    /**
     * Parses {@code KEY=VALUE[,VALUE…]}, for example {@code name=prod/} or {@code tag-key=!team}.
     *
     * @throws InvalidSecretException when the text is not of that form or the filter is invalid
     */
    public static ListFilter parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 1) {
            throw new InvalidSecretException("filter '" + text + "' is not KEY=VALUE[,VALUE…]");
        }
        return new ListFilter(Key.of(text.substring(0, eq).trim()), List.of(text.substring(eq + 1).split(",", -1)));
    }

    /** Whether a secret with this ID, description (null for none) and tags passes this filter. */
    public boolean matches(String id, String description, Map<String, String> tags) {
        boolean anyPlain = false;
        boolean plainMatched = false;
        for (String v : values) {
            boolean negated = v.startsWith("!");
            String term = negated ? v.substring(1) : v;
            boolean hit = hit(term, id, description == null ? "" : description, tags);
            if (negated && hit) {
                return false;
            }
            if (!negated) {
                anyPlain = true;
                plainMatched |= hit;
            }
        }
        return !anyPlain || plainMatched;
    }

    private boolean hit(String term, String id, String description, Map<String, String> tags) {
        return switch (key) {
            case NAME -> id.startsWith(term);
            case DESCRIPTION -> description.toLowerCase(Locale.ROOT).startsWith(term.toLowerCase(Locale.ROOT));
            case TAG_KEY -> tags.keySet().stream().anyMatch(k -> k.startsWith(term));
            case TAG_VALUE -> tags.values().stream().anyMatch(t -> t != null && t.startsWith(term));
            case ALL -> all(term, id, description, tags);
        };
    }

    private static boolean all(String term, String id, String description, Map<String, String> tags) {
        List<String> wanted = words(term);
        if (wanted.isEmpty()) {
            return true;
        }
        List<String> have = new ArrayList<>(words(id));
        have.addAll(words(description));
        tags.forEach((k, v) -> {
            have.addAll(words(k));
            have.addAll(words(v == null ? "" : v));
        });
        for (String w : wanted) {
            for (String h : have) {
                if (h.startsWith(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Lower-cased words of {@code s}: letters and digits, split at every other character, at a change
     * from lower to upper case and between letters and digits ({@code credsDatabase#892} → creds, database, 892).
     */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char prev = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                flush(w, out);
            } else {
                if (w.length() > 0 && ((Character.isLowerCase(prev) && Character.isUpperCase(c))
                        || (Character.isLetter(prev) != Character.isLetter(c)))) {
                    flush(w, out);
                }
                w.append(c);
            }
            prev = c;
        }
        flush(w, out);
        return out;
    }

    private static void flush(StringBuilder w, List<String> out) {
        if (w.length() > 0) {
            out.add(w.toString().toLowerCase(Locale.ROOT));
            w.setLength(0);
        }
    }

    @Override
    public String toString() {
        return key.text() + "=" + String.join(",", values);
    }
}
