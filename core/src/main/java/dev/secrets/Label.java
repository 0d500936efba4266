package dev.secrets;

/**
 * A staging label. {@link #CURRENT}, {@link #PENDING} and {@link #PREVIOUS} have the meaning of
 * AWS Secrets Manager's {@code AWSCURRENT}, {@code AWSPENDING} and {@code AWSPREVIOUS}; any other
 * label of 1–256 printable, non-space characters is a custom label. A label is on at most one
 * version of a secret; a version carries at most {@value #MAX_PER_VERSION} labels.
 */
public final class Label implements Comparable<Label> {
    /** The version applications read by default. */
    public static final Label CURRENT = new Label("CURRENT");
    /** The version a rotation in progress is introducing. */
    public static final Label PENDING = new Label("PENDING");
    /** The version that was {@code CURRENT} before the last change. */
    public static final Label PREVIOUS = new Label("PREVIOUS");

    /** Most labels one version may carry. */
    public static final int MAX_PER_VERSION = 20;
    /** Longest label, in characters. */
    public static final int MAX_LENGTH = 256;

    private final String name;

    private Label(String name) {
        this.name = name;
    }

    /**
     * Returns the label named {@code name}: one of the constants, or a custom label.
     *
     * @throws InvalidSecretException when the name is empty, too long or has spaces or control characters
     */
    public static Label of(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidSecretException("label is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidSecretException("label is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == ',') {
                throw new InvalidSecretException("label '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a space, comma or control character at position " + (i + 1));
            }
        }
        switch (name) {
            case "CURRENT":
                return CURRENT;
            case "PENDING":
                return PENDING;
            case "PREVIOUS":
                return PREVIOUS;
            default:
                return new Label(name);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public int compareTo(Label o) {
        return name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Label && ((Label) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
