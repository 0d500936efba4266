package dev.secrets.spring;

import dev.secrets.RotationStatus;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator health of the secrets store and of its rotations.
 *
 * <ul>
 *   <li>{@code DOWN} when the store cannot be reached (reading its identity object fails); the detail
 *       {@code error} says why, without any value.</li>
 *   <li>Otherwise {@code UP}, with the detail {@code store} (its URI) and, when there are any,
 *       {@code rotationsOverdue} (secrets whose enabled scheduled rotation is past its date),
 *       {@code rotationsFailed} (secrets whose last rotation attempt failed, with the failed step and
 *       the value-free reason, such as a drain that found live sessions), {@code rotationsStuck}
 *       (secrets with a {@code PENDING} version that no live rotation holds) and
 *       {@code olderThanMaxAge} (secrets whose value is older than {@code secrets.max-age}, rotated
 *       or not), from {@link SecretsClient#rotationStatus()}. These do not make the application
 *       {@code DOWN}: the current credentials still work, and taking the instance out of service
 *       would not help. If the status cannot be read, the detail {@code rotationStatusError} says why.</li>
 * </ul>
 * The rotation status reads the metadata of every secret of the store that has rotation settings;
 * use Actuator's health cache ({@code management.endpoint.health.cache.time-to-live}) for frequent probes
 * of a large store. Thread-safe.
 */
public class SecretsHealthIndicator extends AbstractHealthIndicator {
    private final SecretsClient client;

    /** @param client the client whose store is checked */
    public SecretsHealthIndicator(SecretsClient client) {
        super("Secrets store health check failed");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", client.location());
        try {
            client.checkStore();
        } catch (SecretsException e) {
            builder.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        builder.up();
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
