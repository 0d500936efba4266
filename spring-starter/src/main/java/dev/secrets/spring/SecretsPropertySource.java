package dev.secrets.spring;

import dev.secrets.SecretVersion;
import dev.secrets.SecretValue;
import dev.secrets.ValueType;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The properties of one secret, as a Spring {@link org.springframework.core.env.PropertySource}.
 * Depends on Spring Framework only, not on Spring Boot, so it can be added to any
 * {@link org.springframework.core.env.ConfigurableEnvironment}.
 *
 * <ul>
 *   <li>A key/value secret (and every database secret) gives one property per field, named by the
 *       field ({@code username}, {@code password}, …). Fields whose value is JSON {@code null} are left out.</li>
 *   <li>A text secret gives one property named by the last segment of its ID: {@code prod/payments/api-key}
 *       becomes {@code api-key}.</li>
 *   <li>A binary secret gives that one property too, its value the bytes in base64.</li>
 * </ul>
 * Every name is preceded by the prefix given at construction (for example {@code app.db.}).
 *
 * <p>A secret may not set the names that only the application's own configuration may set (under
 * {@code spring.}, {@code management.}, {@code logging.}, {@code secrets.}, and {@code debug},
 * {@code trace}): such a value is refused with a {@link ReservedPropertyNameException} naming the
 * property names, unless the prefix itself puts every name under one of those roots (the application
 * chose {@code ?prefix=spring.datasource.}) or the source was made to allow them
 * ({@code secrets.import.allow-reserved-names=true}).
 *
 * <p>The values can be replaced as a whole with {@link #update(SecretVersion)} (the change watcher
 * does this when the secret's {@code CURRENT} version changes); readers see either the old or the
 * new set of values, never a mix. {@link #toString()} names the secret, its version and the
 * property names, never a value. Thread-safe.
 */
public final class SecretsPropertySource extends EnumerablePropertySource<String> {
    /** Prefix of the name of every property source of this type: {@code secrets:ID}. */
    public static final String NAME_PREFIX = "secrets:";

    private final String secretId;
    private final String prefix;
    private final boolean allowReservedNames;
    private volatile Snapshot snapshot;

    private record Snapshot(String versionId, Map<String, String> properties, String[] names) {
    }

    /**
     * The properties of {@code version}.
     *
     * @param version the version whose value becomes properties
     * @param prefix  put before every property name; empty or null for none
     * @throws ReservedPropertyNameException when the value would set a reserved property name
     */
    public SecretsPropertySource(SecretVersion version, String prefix) {
        this(version, prefix, false);
    }

    /**
     * The properties of {@code version}, reserved names allowed or not.
     *
     * @param allowReservedNames whether the value may set names under {@code spring.}, {@code management.},
     *                           {@code logging.}, {@code secrets.} and {@code debug}, {@code trace}
     * @throws ReservedPropertyNameException when the value would set a reserved property name and
     *                                       {@code allowReservedNames} is false
     */
    public SecretsPropertySource(SecretVersion version, String prefix, boolean allowReservedNames) {
        super(NAME_PREFIX + version.secretId().value() + (prefix == null || prefix.isEmpty() ? "" : "?prefix=" + prefix),
                version.secretId().value());
        this.secretId = version.secretId().value();
        this.prefix = prefix == null ? "" : prefix;
        this.allowReservedNames = allowReservedNames;
        this.snapshot = snapshot(version);
    }

    private Snapshot snapshot(SecretVersion version) {
        if (!version.secretId().value().equals(secretId)) {
            throw new IllegalArgumentException("version of " + version.secretId() + " given to the property source of " + secretId);
        }
        Map<String, String> props = new LinkedHashMap<>();
        SecretValue value = version.value();
        if (value.type() == ValueType.KEY_VALUE) {
            value.fields().forEach((k, v) -> {
                if (v != null) {
                    props.put(prefix + k, v);
                }
            });
        } else {
            String last = secretId.substring(secretId.lastIndexOf('/') + 1);
            props.put(prefix + last, value.type() == ValueType.TEXT
                    ? value.text() : Base64.getEncoder().encodeToString(value.bytes()));
        }
        if (!allowReservedNames && ReservedNames.checked(prefix)) {
            List<String> reserved = ReservedNames.among(props.keySet());
            if (!reserved.isEmpty()) {
                throw new ReservedPropertyNameException("secret '" + secretId + "' (version " + version.versionId() + ")", reserved);
            }
        }
        return new Snapshot(version.versionId(), Collections.unmodifiableMap(props), props.keySet().toArray(new String[0]));
    }

    /** The ID of the secret these properties come from. */
    public String secretId() {
        return secretId;
    }

    /** The prefix before every property name; empty for none. */
    public String prefix() {
        return prefix;
    }

    /** The version ID whose values are served now. */
    public String versionId() {
        return snapshot.versionId();
    }

    /**
     * Replaces the values with those of {@code version}.
     *
     * @return true when {@code version} is another version than the one served until now
     * @throws IllegalArgumentException when {@code version} belongs to another secret
     * @throws ReservedPropertyNameException when it would set a reserved property name; nothing changes then
     */
    public boolean update(SecretVersion version) {
        Objects.requireNonNull(version, "version");
        Snapshot next = snapshot(version);
        boolean changed = !next.versionId().equals(snapshot.versionId());
        snapshot = next;
        return changed;
    }

    @Override
    public String[] getPropertyNames() {
        return snapshot.names().clone();
    }

    @Override
    public Object getProperty(String name) {
        return snapshot.properties().get(name);
    }

    @Override
    public boolean containsProperty(String name) {
        return snapshot.properties().containsKey(name);
    }

    @Override
    public String toString() {
        Snapshot s = snapshot;
        return "SecretsPropertySource {name='" + getName() + "', version=" + s.versionId() + ", properties="
                + s.properties().keySet() + ", values masked}";
    }
}
