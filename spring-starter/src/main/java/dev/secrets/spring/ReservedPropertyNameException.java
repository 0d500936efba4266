package dev.secrets.spring;

import java.util.List;

/**
 * A secret imported without a prefix would set property names that only the application's own
 * configuration may set: names under {@code spring.}, {@code management.}, {@code logging.},
 * {@code secrets.}, and {@code debug}, {@code trace}. Thrown by {@link SecretsPropertySource} and
 * {@link SecretsPrefixPropertySource}; at start-up it becomes a {@link SecretImportException}, at a
 * reload the previous values stay. The message names the secret(s) and the property names, never a value.
 */
public class ReservedPropertyNameException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final List<String> names;

    ReservedPropertyNameException(String source, List<String> names) {
        super(source + " would set " + String.join(", ", names) + ", which only the application's own configuration"
                + " may set (names under spring., management., logging., secrets., and debug, trace)");
        this.names = List.copyOf(names);
    }

    /** The reserved property names the secret(s) would set, sorted. */
    public List<String> names() {
        return names;
    }
}
