package dev.secrets.internal.rotation;

import dev.secrets.InvalidSecretException;
import dev.secrets.SecretsException;
import dev.secrets.spi.RotationContext;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Drain-aware alternating users: before the password of the user that is about to become
 * {@code CURRENT} again is changed — the user of {@code PREVIOUS}, whose clients may still hold
 * sessions — look at that user's live sessions. Parameter {@code drain}: {@code proceed} (change it
 * anyway), {@code wait} (default: until no session is left, at most {@code drainTimeout}, then fail),
 * or {@code fail} (fail the step at once while a session is live). Parameter {@code drainTimeout}
 * (default {@code 1h}, the default cache TTL of clients: a client re-reads the secret within one TTL
 * and moves to the new {@code CURRENT}).
 *
 * <p>A failed step says how many sessions were live and changes nothing in the database. The wait is
 * measured with the rotation's clock and renews the rotation's lease as it goes.
 */
final class SessionDrain {
    static final String DRAIN = "drain";
    static final String DRAIN_TIMEOUT = "drainTimeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    /** How often a waiting step looks again. */
    static final Duration POLL = Duration.ofMillis(250);

    enum Mode {
        PROCEED, WAIT, FAIL;

        static Mode of(Map<String, String> p) {
            String m = p.getOrDefault(DRAIN, "wait");
            switch (m) {
                case "proceed":
                    return PROCEED;
                case "wait":
                    return WAIT;
                case "fail":
                    return FAIL;
                default:
                    throw new InvalidSecretException("parameter " + DRAIN + " is '" + m + "'; use proceed, wait or fail");
            }
        }
    }

    /** Counts the live sessions of a user. */
    interface Sessions {
        int count() throws SQLException;
    }

    private SessionDrain() {
    }

    static Duration timeout(Map<String, String> p) {
        String t = p.get(DRAIN_TIMEOUT);
        if (t == null) {
            return DEFAULT_TIMEOUT;
        }
        Duration d;
        try {
            d = dev.secrets.SecretsConfig.parseDuration(DRAIN_TIMEOUT, t);
        } catch (RuntimeException e) {
            throw new InvalidSecretException("parameter " + DRAIN_TIMEOUT + " is '" + t + "'; use a duration such as 90s, 15m, 1h");
        }
        if (d.isNegative() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new InvalidSecretException("parameter " + DRAIN_TIMEOUT + " must be 0 to 24 hours, not '" + t + "'");
        }
        return d;
    }

    /**
     * Returns once {@code user} has no live session (or at once with {@code proceed}).
     *
     * @throws SecretsException with the reason when sessions stay live ({@code fail}, or {@code wait} past its bound)
     */
    static void awaitNoSessions(RotationContext ctx, String user, Sessions sessions) throws SQLException {
        Mode mode = Mode.of(ctx.parameters());
        if (mode == Mode.PROCEED) {
            return;
        }
        Duration bound = timeout(ctx.parameters());
        Instant deadline = ctx.clock().instant().plus(bound);
        while (true) {
            int live = sessions.count();
            if (live == 0) {
                return;
            }
            if (mode == Mode.FAIL) {
                throw new SecretsException("drain: user '" + user + "' still has " + live + " live session(s) of clients that"
                        + " may use the PREVIOUS credentials; its password was not changed (drain=fail)");
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new SecretsException("drain: user '" + user + "' still has " + live + " live session(s) after waiting "
                        + bound + " for them to end; its password was not changed (drain=wait, drainTimeout=" + bound + ")");
            }
            ctx.renewLease();
            try {
                Thread.sleep(POLL.toMillis()); // the database's sessions end in real time; the bound is the clock's
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SecretsException("drain: interrupted while waiting for the sessions of user '" + user + "' to end", e);
            }
        }
    }
}
