package dev.secrets.spring;

import java.util.Objects;
import org.springframework.boot.context.config.ConfigDataResource;

/**
 * One secret named in a {@code secrets:} import: its ID, the prefix of its property names and
 * whether the import was {@code optional:}. Immutable.
 */
public final class SecretsConfigDataResource extends ConfigDataResource {
    private final String secretId;
    private final String prefix;
    private final boolean optional;

    /**
     * @param secretId the secret's ID
     * @param prefix   put before every property name; empty for none
     * @param optional whether a missing secret is skipped instead of failing start-up
     */
    public SecretsConfigDataResource(String secretId, String prefix, boolean optional) {
        super(optional);
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.prefix = prefix == null ? "" : prefix;
        this.optional = optional;
    }

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

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretsConfigDataResource r && r.secretId.equals(secretId) && r.prefix.equals(prefix)
                && r.optional == optional;
    }

    @Override
    public int hashCode() {
        return Objects.hash(secretId, prefix, optional);
    }

    @Override
    public String toString() {
        return (optional ? "optional:" : "") + "secrets:" + secretId + (prefix.isEmpty() ? "" : "?prefix=" + prefix);
    }
}
