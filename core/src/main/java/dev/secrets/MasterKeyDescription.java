package dev.secrets;

import java.time.Instant;
import java.util.List;

/**
 * A master key as {@code secrets keys list} shows it: its name, the scheme of the root that wraps
 * its keyring (never the rest of the key URI: no path, no PIN source), and its versions.
 *
 * @param name     the master key's name
 * @param provider the scheme of its root: {@code file}, {@code env}, {@code passphrase-env},
 *                 {@code pkcs11}, {@code aws-kms}… ({@code env/file} for a keyring written before
 *                 the scheme was recorded)
 * @param versions every version, oldest first
 */
public record MasterKeyDescription(String name, String provider, List<Version> versions) {
    public MasterKeyDescription {
        versions = List.copyOf(versions);
    }

    /** What a key version may still do. */
    public enum State {
        /** Wraps new data keys. */
        PRIMARY,
        /** Unwraps the data keys still under it; `secrets rewrap` moves them to the primary. */
        ACTIVE,
        /** Its material is destroyed: values still under it cannot be read. */
        RETIRED
    }

    /**
     * One version of a master key.
     *
     * @param number  the version number (1, 2, …)
     * @param created when it was made
     * @param state   primary, active or retired
     * @param retired when it was retired, or {@code null}
     */
    public record Version(int number, Instant created, State state, Instant retired) {
    }
}
