package dev.secrets.testing;

/**
 * The one canary value of the whole build. Tests that check that a secret never leaks (into
 * messages, {@code toString()}, logs, audit events or the disk) use it as the secret, alone or as
 * the start of a longer value; after every module's tests have run, the {@code canary-scan} module
 * scans every surefire and failsafe report, captured log and file the tests left under the modules'
 * {@code target/} folders for it, in plain text, base64 (at any alignment) and hex.
 */
public final class Canary {
    /** The canary: long enough that its base64 and hex forms never occur by chance. */
    public static final String VALUE = "canary-b7e3f0a91c4d52e8-do-not-leak";

    private Canary() {
    }

    /** A value that contains the canary, distinct for each {@code suffix}. */
    public static String with(String suffix) {
        return VALUE + "-" + suffix;
    }
}
