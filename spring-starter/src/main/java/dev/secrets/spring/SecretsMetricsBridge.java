package dev.secrets.spring;

import dev.secrets.spi.SecretsMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link SecretsMetrics} of the clients the starter builds. The client that loads
 * {@code spring.config.import=secrets:…} exists before any metrics registry does, so it is built
 * with this bridge, and the registries are attached to the bridge later (see
 * {@link SecretsMetricsAutoConfiguration}). Until then, and without Micrometer, it records nothing.
 *
 * <p>Thread-safe; calls on the read path cost a volatile read and an iteration over the attached
 * targets (usually one).
 */
public final class SecretsMetricsBridge implements SecretsMetrics {
    private final List<SecretsMetrics> targets = new CopyOnWriteArrayList<>();

    /** Sends everything recorded from now on to {@code target} as well. */
    public void attach(SecretsMetrics target) {
        targets.add(target);
    }

    @Override
    public void read(String secretId, boolean cacheHit, long nanos) {
        for (SecretsMetrics t : targets) {
            t.read(secretId, cacheHit, nanos);
        }
    }

    @Override
    public void readFailed(String secretId, String errorClass, long nanos) {
        for (SecretsMetrics t : targets) {
            t.readFailed(secretId, errorClass, nanos);
        }
    }

    @Override
    public void rotation(String secretId, String outcome) {
        for (SecretsMetrics t : targets) {
            t.rotation(secretId, outcome);
        }
    }

    @Override
    public void secretsTooOld(int count) {
        for (SecretsMetrics t : targets) {
            t.secretsTooOld(count);
        }
    }

    @Override
    public void auditFailure(String action) {
        for (SecretsMetrics t : targets) {
            t.auditFailure(action);
        }
    }
}
