package dev.secrets.spring;

import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.ValueType;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The properties of every secret under an ID prefix ({@code spring.config.import=secrets:prod/app/*}),
 * as one Spring property source. Depends on Spring Framework only.
 *
 * <p>Property names: the part of the ID after the prefix, with each {@code /} turned into {@code .}
 * ({@code prod/app/db/main} under {@code prod/app/} is {@code db.main}); a key/value (or database)
 * secret gives one property per field under that name ({@code db.main.username}), a text secret one
 * property of that name, a binary secret the same in base64. The import's {@code ?prefix=} goes before
 * every name. Distinct IDs give distinct names except when a {@code .} in one ID meets a {@code /} in
 * another ({@code a.b} and {@code a/b}), or when a text secret's name equals a field of another
 * ({@code a/b} and field {@code b} of {@code a}): such a collision is refused, never resolved silently —
 * at start-up with a {@link SecretImportException} explained by the failure analyzer, at a reload by
 * keeping the previous values. Names reserved for the application's own configuration (under
 * {@code spring.}, {@code management.}, {@code logging.}, {@code secrets.}, and {@code debug},
 * {@code trace}) are refused the same way, with a {@link ReservedPropertyNameException}, unless the
 * import's {@code ?prefix=} puts every name under one of those roots or reserved names are allowed
 * ({@code secrets.import.allow-reserved-names=true}).
 *
 * <p>{@link #update(List)} replaces every value at once (readers see the old or the new set, never a
 * mix); secrets added under the prefix appear, removed ones disappear. {@link #toString()} never shows a
 * value. Thread-safe.
 */
public final class SecretsPrefixPropertySource extends EnumerablePropertySource<String> {
    private final String idPrefix;
    private final String prefix;
    private final boolean allowReservedNames;
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, String> versions, Map<String, String> properties, String[] names) {
    }

    /** Two secrets whose properties would have the same name. */
    public static final class CollisionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String property;
        private final String firstId;
        private final String secondId;

        CollisionException(String property, String firstId, String secondId) {
            super("secrets '" + firstId + "' and '" + secondId + "' both give the property '" + property + "'");
            this.property = property;
            this.firstId = firstId;
            this.secondId = secondId;
        }

        public String property() {
            return property;
        }

        public String firstId() {
            return firstId;
        }

        public String secondId() {
            return secondId;
        }
    }

    /**
     * @param idPrefix the ID prefix, ending in {@code /}
     * @param prefix   put before every property name; empty or null for none
     * @param versions the {@code CURRENT} version of each secret under the prefix
     * @throws CollisionException when two secrets give the same property name
     * @throws ReservedPropertyNameException when a secret would set a reserved property name
     */
    public SecretsPrefixPropertySource(String idPrefix, String prefix, List<SecretVersion> versions) {
        this(idPrefix, prefix, versions, false);
    }

    /**
     * @param allowReservedNames whether secrets may set names under {@code spring.}, {@code management.},
     *                           {@code logging.}, {@code secrets.} and {@code debug}, {@code trace}
     * @throws CollisionException when two secrets give the same property name
     * @throws ReservedPropertyNameException when a secret would set a reserved property name and
     *                                       {@code allowReservedNames} is false
     */
    public SecretsPrefixPropertySource(String idPrefix, String prefix, List<SecretVersion> versions, boolean allowReservedNames) {
        super(SecretsPropertySource.NAME_PREFIX + idPrefix + "*" + (prefix == null || prefix.isEmpty() ? "" : "?prefix=" + prefix),
                idPrefix);
        this.idPrefix = Objects.requireNonNull(idPrefix, "idPrefix");
        this.prefix = prefix == null ? "" : prefix;
        this.allowReservedNames = allowReservedNames;
        this.snapshot = snapshot(versions);
    }

    /** The property name of field {@code field} (null for a text or binary secret) of secret {@code id}. */
    static String propertyName(String idPrefix, String prefix, String id, String field) {
        String base = id.substring(idPrefix.length()).replace('/', '.');
        return prefix + (field == null ? base : base + "." + field);
    }

    private Snapshot snapshot(List<SecretVersion> versions) {
        Map<String, String> props = new LinkedHashMap<>();
        Map<String, String> owner = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (SecretVersion v : versions) {
            String id = v.secretId().value();
            if (!id.startsWith(idPrefix)) {
                throw new IllegalArgumentException("secret " + id + " is not under " + idPrefix);
            }
            ids.put(id, v.versionId());
            SecretValue value = v.value();
            if (value.type() == ValueType.KEY_VALUE) {
                for (Map.Entry<String, String> f : value.fields().entrySet()) {
                    if (f.getValue() != null) {
                        put(props, owner, propertyName(idPrefix, prefix, id, f.getKey()), f.getValue(), id);
                    }
                }
            } else {
                put(props, owner, propertyName(idPrefix, prefix, id, null),
                        value.type() == ValueType.TEXT ? value.text() : Base64.getEncoder().encodeToString(value.bytes()), id);
            }
        }
        if (!allowReservedNames && ReservedNames.checked(prefix)) {
            List<String> reserved = ReservedNames.among(props.keySet());
            if (!reserved.isEmpty()) {
                Set<String> from = new LinkedHashSet<>();
                reserved.forEach(n -> from.add(owner.get(n)));
                throw new ReservedPropertyNameException("secrets " + from + " under " + idPrefix, reserved);
            }
        }
        return new Snapshot(Collections.unmodifiableMap(ids), Collections.unmodifiableMap(props), props.keySet().toArray(new String[0]));
    }

    private static void put(Map<String, String> props, Map<String, String> owner, String name, String value, String id) {
        String had = owner.putIfAbsent(name, id);
        if (had != null) {
            throw new CollisionException(name, had, id);
        }
        props.put(name, value);
    }

    /** The ID prefix, ending in {@code /}. */
    public String idPrefix() {
        return idPrefix;
    }

    /** The prefix before every property name; empty for none. */
    public String prefix() {
        return prefix;
    }

    /** The version ID served for each secret, by secret ID. */
    public Map<String, String> versions() {
        return snapshot.versions();
    }

    /**
     * Replaces the values with those of {@code versions} (every secret under the prefix now).
     *
     * @return the IDs of the secrets added, changed or removed
     * @throws CollisionException when two secrets would give the same property name; nothing changes then
     * @throws ReservedPropertyNameException when a secret would set a reserved property name; nothing changes then
     */
    public Set<String> update(List<SecretVersion> versions) {
        Snapshot next = snapshot(versions);
        Snapshot before = snapshot;
        Set<String> changed = new LinkedHashSet<>();
        next.versions().forEach((id, v) -> {
            if (!v.equals(before.versions().get(id))) {
                changed.add(id);
            }
        });
        before.versions().keySet().stream().filter(id -> !next.versions().containsKey(id)).forEach(changed::add);
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
        return "SecretsPrefixPropertySource {name='" + getName() + "', secrets=" + s.versions().keySet() + ", values masked}";
    }
}
