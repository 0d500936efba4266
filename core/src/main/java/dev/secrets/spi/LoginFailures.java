package dev.secrets.spi;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Null-safe checks for {@link DatabaseDialect#isLoginFailure(SQLException)}: SQLStates compared
 * with {@code equals} on the constant, cause chains walked without looping forever.
 */
public final class LoginFailures {
    private LoginFailures() {
    }

    /** Whether {@code e}'s own SQLState is one of {@code states}. */
    public static boolean sqlStateIs(SQLException e, String... states) {
        String s = e.getSQLState();
        for (String state : states) {
            if (state.equals(s)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any {@link SQLException} in {@code e}'s cause chain (itself included) has one of these vendor codes. */
    public static boolean errorCodeInChain(Throwable e, int... codes) {
        for (Throwable t : chain(e)) {
            if (t instanceof SQLException) {
                int code = ((SQLException) t).getErrorCode();
                for (int c : codes) {
                    if (c == code) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether any {@link SQLException} in {@code e}'s cause chain (itself included) has one of these SQLStates. */
    public static boolean sqlStateInChain(Throwable e, String... states) {
        for (Throwable t : chain(e)) {
            if (t instanceof SQLException && sqlStateIs((SQLException) t, states)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any {@link SQLException} in the chain has an SQLState of class {@code 28} (invalid authorization). */
    public static boolean authorizationClassInChain(Throwable e) {
        for (Throwable t : chain(e)) {
            if (t instanceof SQLException) {
                String s = ((SQLException) t).getSQLState();
                if (s != null && s.startsWith("28")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Iterable<Throwable> chain(Throwable e) {
        // Identity set: a cause chain may loop, and equals() of exceptions is not to be trusted.
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            out.add(t);
            if (t instanceof SQLException) {
                // Drivers also hang causes on getNextException() (batch and multi-error reports).
                SQLException next = ((SQLException) t).getNextException();
                if (next != null && next != t.getCause() && !seen.containsKey(next)) {
                    out.add(next);
                }
            }
        }
        return out;
    }
}
