package dev.secrets.internal.audit;

import java.util.function.Supplier;

/**
 * The audit principal of the call running on this thread, when it differs from the client's own
 * (a server answering many callers through one client sets it per request). Thread-confined.
 */
public final class CallerPrincipal {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    /** False until the first {@link #callAs}: a process that never sets a caller pays one plain read on a cache hit. */
    private static volatile boolean inUse;

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

    /** Runs {@code call} with {@code principal} set on this thread, restoring what was set before. */
    public static <T> T callAs(String principal, Supplier<T> call) {
        if (!inUse) {
            inUse = true;
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
