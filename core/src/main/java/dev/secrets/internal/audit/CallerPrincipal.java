package dev.secrets.internal.audit;

import java.util.function.Supplier;

/**
 * The audit principal of the call running on this thread, when it differs from the client's own
 * (a server answering many callers through one client sets it per request). Thread-confined.
 */
public final class CallerPrincipal {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    /**
     * False until the first {@link #callAs}. While false, a cache hit does not look for a caller at
     * all: the threads that claimed a slot of a cached-read counter count there ({@link
     * CachedReadAudit}). The first {@code callAs} sets it, clears every slot, and only then sets
     * {@link #settled}, which every {@code callAs} waits for: a thread cannot run with a caller set
     * while its cell is still in a slot.
     */
    private static volatile boolean inUse;
    private static volatile boolean settled;

    private CallerPrincipal() {
    }

    /** The principal set for this thread, else {@code fallback}. */
    public static String orElse(String fallback) {
        String p = CURRENT.get();
        return p != null ? p : fallback;
    }

    /** Whether any thread ever set a caller. */
    public static boolean inUse() {
        return inUse;
    }

    /** The principal set for this thread, or null. */
    public static String current() {
        return CURRENT.get();
    }

    private static synchronized void settle() {
        if (!settled) {
            inUse = true;
            CachedReadAudit.callersInUse();
            settled = true;
        }
    }

    /** Forgets that a caller was ever set, as in a fresh process; for tests of the first {@link #callAs} only. */
    static synchronized void forgetForTest() {
        inUse = false;
        settled = false;
    }

    /** Runs {@code call} with {@code principal} set on this thread, restoring what was set before. */
    public static <T> T callAs(String principal, Supplier<T> call) {
        if (!settled) {
            settle();
        }
        String before = CURRENT.get();
        CURRENT.set(principal);
        try {
            return call.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }
}
