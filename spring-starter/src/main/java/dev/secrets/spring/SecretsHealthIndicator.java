package dev.secrets.spring;

import dev.secrets.ListSecretsRequest;
import dev.secrets.RotationDescription;
import dev.secrets.SecretDescription;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator health of the secrets store and of the rotations of the secrets the application imports.
 *
 * <ul>
 *   <li>{@code DOWN} when the store cannot be reached (a one-item listing fails); the detail
 *       {@code error} says why, without any value.</li>
 *   <li>Otherwise {@code UP}, with details: {@code store} (its URI), {@code secrets} (how many
 *       imported secrets were checked), and, when there are any, {@code rotationsOverdue} (IDs whose
 *       enabled scheduled rotation is past its next rotation date), {@code rotationsFailed} (IDs
 *       whose last rotation attempt failed, with the failed step) and {@code unreadable} (IDs that
 *       could not be described). An overdue rotation does not make the application DOWN: the current
 *       credentials still work, and taking the instance out of service would not help.</li>
 * </ul>
 * The rotation status comes from each secret's description ({@link SecretDescription#rotation()}).
 * Thread-safe.
 */
public class SecretsHealthIndicator extends AbstractHealthIndicator {
    private final SecretsClient client;
    private final Supplier<List<String>> secretIds;
    private final Clock clock;

    /**
     * @param client    the client whose store is checked
     * @param secretIds the secrets whose rotation is checked (read at every check)
     * @param clock     the clock rotation dates are compared with
     */
    public SecretsHealthIndicator(SecretsClient client, Supplier<List<String>> secretIds, Clock clock) {
        super("Secrets store health check failed");
        this.client = Objects.requireNonNull(client, "client");
        this.secretIds = Objects.requireNonNull(secretIds, "secretIds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", client.engine().location());
        try {
            client.listSecrets(ListSecretsRequest.all().withPageSize(1));
        } catch (SecretsException e) {
            builder.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        Instant now = clock.instant();
        List<String> ids = secretIds.get();
        List<String> overdue = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (String id : ids) {
            SecretDescription d;
            try {
                d = client.describeSecret(id);
            } catch (SecretsException e) {
                unreadable.put(id, e.getClass().getSimpleName());
                continue;
            }
            RotationDescription r = d.rotation();
            if (r == null) {
                continue;
            }
            if (r.enabled() && r.nextRotation() != null && r.nextRotation().isBefore(now)) {
                overdue.add(id);
            }
            if ("failed".equals(r.lastOutcome())) {
                failed.put(id, r.failedStep() == null ? "failed" : "failed at " + r.failedStep());
            }
        }
        builder.up().withDetail("secrets", ids.size());
        if (!overdue.isEmpty()) {
            builder.withDetail("rotationsOverdue", overdue);
        }
        if (!failed.isEmpty()) {
            builder.withDetail("rotationsFailed", failed);
        }
        if (!unreadable.isEmpty()) {
            builder.withDetail("unreadable", unreadable);
        }
    }
}
