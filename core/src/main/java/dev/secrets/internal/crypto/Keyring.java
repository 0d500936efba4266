package dev.secrets.internal.crypto;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * The versions of one named master key, decrypted. Each version is 32 random bytes from which a
 * wrap key (for data keys) and a MAC key (for records) are derived. Immutable.
 */
public final class Keyring {
    private final String name;
    private final long generation;
    private final int primary;
    private final Map<Integer, Version> versions;

    public Keyring(String name, long generation, int primary, Map<Integer, Version> versions) {
        this.name = name;
        this.generation = generation;
        this.primary = primary;
        this.versions = Collections.unmodifiableMap(new TreeMap<>(versions));
    }

    /** One version of a master key. */
    public static final class Version {
        private final int number;
        private final Instant created;
        private final SecretKeySpec wrapKey;
        private final byte[] macKey;
        private final Instant retired;

        public Version(int number, Instant created, byte[] material) {
            this.number = number;
            this.created = created;
            byte[] wrap = Hmac.derive(material, "secrets/wrap/v1");
            try {
                this.wrapKey = new SecretKeySpec(wrap, "AES"); // copies
            } finally {
                Arrays.fill(wrap, (byte) 0);
            }
            this.macKey = Hmac.derive(material, "secrets/mac/v1");
            this.retired = null;
        }

        /** A retired version: its material is gone; only the key that verifies old records' MACs is kept. */
        public Version(int number, Instant created, Instant retired, byte[] macKey) {
            this.number = number;
            this.created = created;
            this.wrapKey = null;
            this.macKey = macKey.clone();
            this.retired = retired;
        }

        /** When this version was retired (it can no longer unwrap data keys), or {@code null}. */
        public Instant retired() {
            return retired;
        }

        public int number() {
            return number;
        }

        public Instant created() {
            return created;
        }

        /** The data-key wrapping key; {@code null} for a retired version, whose material was destroyed. */
        public SecretKeySpec wrapKey() {
            return wrapKey;
        }

        public byte[] macKey() {
            return macKey;
        }

        /** Overwrites the MAC key held here (the wrap key is a {@code SecretKeySpec}: JDK 17 cannot destroy it). */
        void destroy() {
            Arrays.fill(macKey, (byte) 0);
        }

        @Override
        public String toString() {
            return "KeyVersion[" + number + "]";
        }
    }

    public String name() {
        return name;
    }

    public long generation() {
        return generation;
    }

    /** The version that wraps new data keys. */
    public Version primary() {
        return versions.get(primary);
    }

    /** The version numbered {@code n}, or {@code null}. */
    public Version version(int n) {
        return versions.get(n);
    }

    public Map<Integer, Version> versions() {
        return versions;
    }

    /** Overwrites the MAC keys of every version; the keyring must not be used afterwards. */
    public void destroy() {
        versions.values().forEach(Version::destroy);
    }

    @Override
    public String toString() {
        return "Keyring[" + name + ", versions=" + versions.keySet() + ", primary=" + primary + "]";
    }
}
