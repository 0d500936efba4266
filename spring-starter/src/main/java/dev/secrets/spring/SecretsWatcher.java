package dev.secrets.spring;

import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Watches the secrets imported with {@code spring.config.import=secrets:…}: every
 * {@code secrets.watch.interval} it reads each one's {@code CURRENT} version from the store
 * (bypassing, and so refreshing, the client's cache). When the version ID differs from the one its
 * {@link SecretsPropertySource} serves, it first updates the property source — so
 * {@code environment.getProperty(…)} returns the new value — then publishes one
 * {@link SecretChangedEvent}.
 *
 * <p>What refreshes: lookups through the {@code Environment} made after the event ({@code
 * environment.getProperty}, {@code Binder.get(environment)} re-binding). What does not: values
 * already copied into beans ({@code @Value} fields, {@code @ConfigurationProperties} bound at
 * start-up, a {@code DataSource} built with a password): listen to the event to re-read them. (A
 * {@code DataSource} through {@code jdbc:secrets:} needs nothing: the driver reads the secret at each
 * new connection.)
 *
 * <p>A failed poll (store unreachable…) is logged without any value and retried at the next
 * interval. Thread-safe; {@link #poll()} may be called at any time, for example by a test or an
 * operator endpoint, and polls run one at a time.
 */
public class SecretsWatcher implements SmartLifecycle {
    private static final Log LOG = LogFactory.getLog(SecretsWatcher.class);

    private final SecretsClient client;
    private final ConfigurableEnvironment environment;
    private final ApplicationEventPublisher publisher;
    private final Duration interval;
    private volatile ScheduledExecutorService executor;

    /**
     * @param client      the client to read with
     * @param environment the environment whose {@link SecretsPropertySource}s are watched
     * @param publisher   where {@link SecretChangedEvent}s go
     * @param interval    time between polls; positive
     */
    public SecretsWatcher(SecretsClient client, ConfigurableEnvironment environment, ApplicationEventPublisher publisher,
                          Duration interval) {
        this.client = Objects.requireNonNull(client, "client");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("secrets.watch.interval must be positive, not " + interval);
        }
    }

    /** The property sources of the imported secrets, in the environment's order. */
    public List<SecretsPropertySource> watchedSources() {
        List<SecretsPropertySource> out = new ArrayList<>();
        for (PropertySource<?> ps : environment.getPropertySources()) {
            if (ps instanceof SecretsPropertySource s) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Reads every imported secret once and publishes an event for each whose {@code CURRENT} version changed.
     *
     * @return the number of secrets that changed
     */
    public synchronized int poll() {
        int changed = 0;
        for (SecretsPropertySource source : watchedSources()) {
            SecretVersion current;
            try {
                current = client.refresh(source.secretId());
            } catch (SecretsException e) {
                LOG.warn("Could not check secret '" + source.secretId() + "' for a change: " + e.getClass().getSimpleName()
                        + ": " + e.getMessage());
                continue;
            }
            String before = source.versionId();
            if (source.update(current)) {
                changed++;
                LOG.info("Secret '" + source.secretId() + "' changed: version " + before + " -> " + current.versionId());
                publisher.publishEvent(new SecretChangedEvent(this, source.secretId(), before, current.versionId()));
            }
        }
        return changed;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "secrets-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::pollSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // A listener's failure must not end the schedule.
            LOG.warn("Secret change watch failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService ex;
        synchronized (this) {
            ex = executor;
            executor = null;
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
