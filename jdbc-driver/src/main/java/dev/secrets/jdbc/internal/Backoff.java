package dev.secrets.jdbc.internal;

import java.time.Duration;

/**
 * Capped exponential backoff between connect retries: 100 ms, 200 ms, 400 ms … at most 2 s. With
 * the default 8 retries that is about 7 s in all, inside the default 10 s budget. Immutable.
 */
public final class Backoff {
    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration CAP = Duration.ofSeconds(2);

    private Backoff() {
    }

    /** The wait before the {@code n}-th delayed retry ({@code n} ≥ 1). */
    public static Duration delay(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        long millis = FIRST.toMillis() << Math.min(n - 1, 20);
        return Duration.ofMillis(Math.min(millis, CAP.toMillis()));
    }
}
