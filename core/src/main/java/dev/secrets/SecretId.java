package dev.secrets;

/**
 * The identifier of a secret: 1–512 characters from {@code A-Z a-z 0-9 / _ + = . @ -}, no leading
 * or trailing {@code /}, and no empty, {@code .} or {@code ..} segment. Immutable; compared by value.
 */
public final class SecretId implements Comparable<SecretId> {
    /** Longest accepted ID, in characters. */
    public static final int MAX_LENGTH = 512;

    private final String value;

    private SecretId(String value) {
        this.value = value;
    }

    /**
     * Parses an ID.
     *
     * @throws InvalidSecretException naming the rule the ID breaks
     */
    public static SecretId of(String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new InvalidSecretException(problem);
        }
        return new SecretId(id);
    }

    /** Returns why {@code id} is not a valid secret ID, or {@code null} when it is. */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "secret ID is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "secret ID is " + id.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!allowed(c)) {
                return "secret ID '" + printable(id) + "' contains " + describe(c)
                        + " at position " + (i + 1) + "; allowed are A-Z a-z 0-9 / _ + = . @ -";
            }
        }
        if (id.charAt(0) == '/' || id.charAt(id.length() - 1) == '/') {
            return "secret ID '" + id + "' must not start or end with '/'";
        }
        for (String segment : id.split("/", -1)) {
            if (segment.isEmpty()) {
                return "secret ID '" + id + "' has an empty segment ('//')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "secret ID '" + id + "' has a '" + segment + "' segment";
            }
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '/' || c == '_' || c == '+' || c == '=' || c == '.' || c == '@' || c == '-';
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "a space";
        }
        if (Character.isISOControl(c) || Character.isWhitespace(c)) {
            return String.format("the control character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < id.length() && i < 80; i++) {
            char c = id.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return id.length() > 80 ? sb + "…" : sb.toString();
    }

    public String value() {
        return value;
    }

    /** The last {@code /}-separated segment: {@code api-key} for {@code prod/payments/api-key}. */
    public String lastSegment() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    @Override
    public int compareTo(SecretId o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretId && ((SecretId) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
