package dev.secrets.internal.audit;

import java.util.function.Supplier;

/**
 * The audit principal of the call running on this thread, when it differs from the client's own
 * (a server answering many callers through one client sets it per request). Thread-confined.
 */
public final class CallerPrincipal {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private CallerPrincipal() {
    }

    /** The principal set for this thread, else {@code fallback}. */
    public static String orElse(String fallback) {
        String p = CURRENT.get();
        return p != null ? p : fallback;
    }

    /** Runs {@code call} with {@code principal} set on this thread, restoring what was set before. */
    public static <T> T callAs(String principal, Supplier<T> call) {
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
