package dev.secrets.spring;

import dev.secrets.RotationStatus;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator health of the secrets store and, when asked for, of its rotations.
 *
 * <ul>
 *   <li>{@code DOWN} when the store cannot be reached (reading its identity object fails); the detail
 *       {@code error} says why, without any value.</li>
 *   <li>Otherwise {@code UP}, with the detail {@code store} (its URI).</li>
 *   <li>With the rotation check on ({@code management.health.secrets.rotation.enabled=true}), also,
 *       when there are any, {@code rotationsOverdue} (secrets whose enabled scheduled rotation is past its
 *       date), {@code rotationsFailed} (secrets whose last rotation attempt failed, with the failed step and
 *       the value-free reason), {@code rotationsStuck} (secrets with a {@code PENDING} version that no live
 *       rotation holds) and {@code olderThanMaxAge} (secrets whose value is older than
 *       {@code secrets.max-age}), from {@link SecretsClient#rotationStatus()}. These do not make the
 *       application {@code DOWN}: the current credentials still work, and taking the instance out of
 *       service would not help. If the status cannot be read, the detail {@code rotationStatusError} says why.</li>
 * </ul>
 *
 * <p>{@code /actuator/health} usually answers anyone who can reach the application. So the indicator
 * reads the store at most once per cache period ({@code management.health.secrets.cache.ttl}, default
 * {@value #DEFAULT_CACHE_TTL_SECONDS} s): calls in between get the last result, and concurrent calls
 * after it expires wait for one check instead of each making their own. By default the check is one
 * read of one small object; the rotation check reads the metadata of every secret with rotation
 * settings, which is why it is opt-in. A store that fails is reported {@code DOWN} at most one period late.
 *
 * <p>Thread-safe.
 */
public class SecretsHealthIndicator implements HealthIndicator {
    /** How long a result is reused unless configured otherwise, in seconds. */
    public static final long DEFAULT_CACHE_TTL_SECONDS = 30;

    private final SecretsClient client;
    private final boolean rotationCheck;
    private final long ttlNanos;
    private final LongSupplier nanoTicker;
    private final Object lock = new Object();
    private volatile Result last;

    private record Result(Health health, long checkedAtNanos) {
    }

    /**
     * The store check only, each result reused for {@value #DEFAULT_CACHE_TTL_SECONDS} s.
     *
     * @param client the client whose store is checked
     */
    public SecretsHealthIndicator(SecretsClient client) {
        this(client, false, Duration.ofSeconds(DEFAULT_CACHE_TTL_SECONDS));
    }

    /**
     * @param client        the client whose store is checked
     * @param rotationCheck whether the rotation status of every secret is read too
     * @param cacheTtl      how long a result is reused; zero for never
     * @throws IllegalArgumentException when {@code cacheTtl} is negative
     */
    public SecretsHealthIndicator(SecretsClient client, boolean rotationCheck, Duration cacheTtl) {
        this(client, rotationCheck, cacheTtl, System::nanoTime);
    }

    SecretsHealthIndicator(SecretsClient client, boolean rotationCheck, Duration cacheTtl, LongSupplier nanoTicker) {
        this.client = Objects.requireNonNull(client, "client");
        this.rotationCheck = rotationCheck;
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("management.health.secrets.cache.ttl must not be negative, not " + cacheTtl);
        }
        this.ttlNanos = cacheTtl.toNanos();
        this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
    }

    /** Whether the rotation status is part of the check. */
    public boolean rotationCheck() {
        return rotationCheck;
    }

    @Override
    public Health health() {
        Result r = last;
        if (fresh(r)) {
            return r.health();
        }
        synchronized (lock) {
            r = last;
            if (fresh(r)) {
                return r.health();
            }
            long started = nanoTicker.getAsLong();
            Health h = check();
            last = new Result(h, started);
            return h;
        }
    }

    private boolean fresh(Result r) {
        return r != null && nanoTicker.getAsLong() - r.checkedAtNanos() < ttlNanos;
    }

    private Health check() {
        Health.Builder builder = Health.unknown().withDetail("store", client.location());
        try {
            client.checkStore();
        } catch (SecretsException e) {
            return builder.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        } catch (RuntimeException e) {
            // Not one of the library's (value-free) messages: the type only.
            return builder.down().withDetail("error", e.getClass().getSimpleName()).build();
        }
        builder.up();
        if (rotationCheck) {
            addRotationStatus(builder);
        }
        return builder.build();
    }

    private void addRotationStatus(Health.Builder builder) {
        List<RotationStatus> statuses;
        try {
            statuses = client.rotationStatus();
        } catch (SecretsException e) {
            builder.withDetail("rotationStatusError", e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        List<String> overdue = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> stuck = new ArrayList<>();
        List<String> tooOld = new ArrayList<>();
        for (RotationStatus s : statuses) {
            String id = s.id().value();
            if (s.problems().contains(RotationStatus.Problem.OVERDUE)) {
                overdue.add(id);
            }
            if (s.problems().contains(RotationStatus.Problem.FAILING)) {
                failed.put(id, (s.failedStep() == null ? "failed" : "failed at " + s.failedStep())
                        + (s.lastError() == null ? "" : ": " + s.lastError()));
            }
            if (s.problems().contains(RotationStatus.Problem.STUCK)) {
                stuck.add(id);
            }
            if (s.problems().contains(RotationStatus.Problem.TOO_OLD)) {
                tooOld.add(id);
            }
        }
        if (!overdue.isEmpty()) {
            builder.withDetail("rotationsOverdue", overdue);
        }
        if (!failed.isEmpty()) {
            builder.withDetail("rotationsFailed", failed);
        }
        if (!stuck.isEmpty()) {
            builder.withDetail("rotationsStuck", stuck);
        }
        if (!tooOld.isEmpty()) {
            builder.withDetail("olderThanMaxAge", tooOld);
        }
    }
}
