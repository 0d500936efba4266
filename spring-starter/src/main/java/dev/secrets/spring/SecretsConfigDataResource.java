package dev.secrets.spring;

import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.config.ConfigDataResource;

/**
 * One secret named in a {@code secrets:} import — or, for {@code secrets:PREFIX/*}, every secret under
 * an ID prefix: the ID (or the ID prefix, ending in {@code /}), the prefix of its property names and
 * whether the import was {@code optional:}. Immutable.
 */
public final class SecretsConfigDataResource extends ConfigDataResource {
    private final String secretId;
    private final String prefix;
    private final boolean optional;
    private final boolean byPrefix;
    private final boolean allowReservedNames;
    /** Every ID of the same location, read in one batch when the first is loaded; not part of equality. */
    private final List<String> batch;

    /**
     * @param secretId the secret's ID
     * @param prefix   put before every property name; empty for none
     * @param optional whether a missing secret is skipped instead of failing start-up
     */
    public SecretsConfigDataResource(String secretId, String prefix, boolean optional) {
        this(secretId, prefix, optional, false, List.of(secretId), false);
    }

    SecretsConfigDataResource(String secretId, String prefix, boolean optional, boolean byPrefix, List<String> batch,
                              boolean allowReservedNames) {
        super(optional);
        this.allowReservedNames = allowReservedNames;
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.prefix = prefix == null ? "" : prefix;
        this.optional = optional;
        this.byPrefix = byPrefix;
        this.batch = List.copyOf(batch);
    }

    /** The secret's ID; for an import by prefix, the ID prefix (ending in {@code /}). */
    public String secretId() {
        return secretId;
    }

    public String prefix() {
        return prefix;
    }

    /** Whether the import was {@code optional:}. */
    public boolean optional() {
        return optional;
    }

    /** Whether this is {@code secrets:PREFIX/*}: every secret whose ID starts with {@link #secretId()}. */
    public boolean byPrefix() {
        return byPrefix;
    }

    /**
     * Whether the secret may set names reserved for the application's own configuration
     * ({@code secrets.import.allow-reserved-names=true}); see {@link SecretsPropertySource}.
     */
    public boolean allowReservedNames() {
        return allowReservedNames;
    }

    /** The IDs named by the same location (read together in one batch). */
    List<String> batch() {
        return batch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretsConfigDataResource r && r.secretId.equals(secretId) && r.prefix.equals(prefix)
                && r.optional == optional && r.byPrefix == byPrefix && r.allowReservedNames == allowReservedNames;
    }

    @Override
    public int hashCode() {
        return Objects.hash(secretId, prefix, optional, byPrefix, allowReservedNames);
    }

    @Override
    public String toString() {
        return (optional ? "optional:" : "") + "secrets:" + secretId + (byPrefix ? "*" : "")
                + (prefix.isEmpty() ? "" : "?prefix=" + prefix);
    }
}
