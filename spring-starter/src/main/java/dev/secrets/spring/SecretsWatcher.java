package dev.secrets.spring;

import dev.secrets.BatchGetError;
import dev.secrets.BatchGetResult;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * Watches the secrets imported with {@code spring.config.import=secrets:…}: every reload period
 * ({@code secrets.reload.period}) it reads each imported secret's {@code CURRENT} version from the
 * store in one batch (bypassing, and so refreshing, the client's cache), and lists each imported ID
 * prefix again. When a version ID differs from the one its property source serves — or a secret
 * appeared under or left an imported prefix — it first updates the property sources in place (so
 * {@code environment.getProperty(…)} returns the new value), then applies the {@link ReloadStrategy}
 * through a {@link SecretsReloader} ({@code refresh}: re-binds {@code @ConfigurationProperties} beans
 * and renews {@code @RefreshScope} beans; {@code restart}: restarts the context), then publishes one
 * {@link SecretChangedEvent} per changed secret.
 *
 * <p>A {@code DataSource} through {@code jdbc:secrets:} needs none of this: the driver reads the secret
 * at each new connection and retries a refused login with a fresh read.
 *
 * <p>A failed poll (store unreachable…) is logged without any value and retried at the next period;
 * a prefix whose secrets would collide on a property name, or a secret (or prefix) that would now set a
 * name reserved for the application's own configuration ({@code spring.*}, …), keeps its previous values. Thread-safe;
 * {@link #poll()} may be called at any time, for example by a test or an operator endpoint, and polls
 * run one at a time.
 */
public class SecretsWatcher implements SmartLifecycle {
    private static final Log LOG = LogFactory.getLog(SecretsWatcher.class);

    private final SecretsClient client;
    private final ConfigurableEnvironment environment;
    private final ApplicationEventPublisher publisher;
    private final Duration interval;
    private final SecretsReloader reloader;
    private volatile ScheduledExecutorService executor;

    /**
     * A watcher with strategy {@code event}.
     *
     * @param client      the client to read with
     * @param environment the environment whose {@link SecretsPropertySource}s are watched
     * @param publisher   where {@link SecretChangedEvent}s go
     * @param interval    time between polls; positive
     */
    public SecretsWatcher(SecretsClient client, ConfigurableEnvironment environment, ApplicationEventPublisher publisher,
                          Duration interval) {
        this(client, environment, publisher, interval, SecretsReloader.eventsOnly());
    }

    /**
     * @param reloader what to do after the property sources of changed secrets were updated
     */
    public SecretsWatcher(SecretsClient client, ConfigurableEnvironment environment, ApplicationEventPublisher publisher,
                          Duration interval, SecretsReloader reloader) {
        this.client = Objects.requireNonNull(client, "client");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.reloader = Objects.requireNonNull(reloader, "reloader");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("secrets.reload.period must be positive, not " + interval);
        }
    }

    /** What this watcher does after a change (the reload strategy). */
    public SecretsReloader reloader() {
        return reloader;
    }

    /** The property sources of the secrets imported by ID, in the environment's order. */
    public List<SecretsPropertySource> watchedSources() {
        List<SecretsPropertySource> out = new ArrayList<>();
        for (PropertySource<?> ps : environment.getPropertySources()) {
            if (ps instanceof SecretsPropertySource s) {
                out.add(s);
            }
        }
        return out;
    }

    /** The property sources of the imports by prefix ({@code secrets:PREFIX/*}). */
    public List<SecretsPrefixPropertySource> watchedPrefixes() {
        List<SecretsPrefixPropertySource> out = new ArrayList<>();
        for (PropertySource<?> ps : environment.getPropertySources()) {
            if (ps instanceof SecretsPrefixPropertySource s) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Reads every imported secret once and, if any changed, updates the property sources, applies the
     * reload strategy and publishes an event for each.
     *
     * @return the number of secrets that changed (appeared or left an imported prefix included)
     */
    public synchronized int poll() {
        List<SecretChangedEvent> events = new ArrayList<>();
        List<SecretsPropertySource> sources = watchedSources();
        if (!sources.isEmpty()) {
            BatchGetResult latest;
            try {
                latest = client.getSecretValues(sources.stream().map(SecretsPropertySource::secretId).distinct().toList());
            } catch (SecretsException e) {
                LOG.warn("Could not check the imported secrets for a change: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                latest = new BatchGetResult(List.of(), List.of(), null);
            }
            for (BatchGetError e : latest.errors()) {
                LOG.warn("Could not check secret '" + e.secretId() + "' for a change: " + e.errorCode() + ": " + e.message());
            }
            for (SecretsPropertySource source : sources) {
                Optional<SecretVersion> current = latest.value(source.secretId());
                String before = source.versionId();
                try {
                    if (current.isPresent() && source.update(current.get())) {
                        LOG.info("Secret '" + source.secretId() + "' changed: version " + before + " -> " + current.get().versionId());
                        events.add(new SecretChangedEvent(this, source.secretId(), before, current.get().versionId()));
                    }
                } catch (ReservedPropertyNameException e) {
                    LOG.error("Secret '" + source.secretId() + "' was not reloaded: " + e.getMessage()
                            + "; the previous values stay until those names are removed from it");
                }
            }
        }
        for (SecretsPrefixPropertySource source : watchedPrefixes()) {
            try {
                Map<String, String> before = source.versions();
                for (String id : source.update(SecretReads.underPrefix(client, source.idPrefix()))) {
                    String now = source.versions().get(id);
                    LOG.info("Secret '" + id + "' under " + source.idPrefix() + " changed: version " + before.get(id) + " -> " + now);
                    events.add(new SecretChangedEvent(this, id, before.get(id), now));
                }
            } catch (SecretsPrefixPropertySource.CollisionException e) {
                LOG.error("Secrets under " + source.idPrefix() + " were not reloaded: " + e.getMessage()
                        + "; the previous values stay until one of them is renamed");
            } catch (ReservedPropertyNameException e) {
                LOG.error("Secrets under " + source.idPrefix() + " were not reloaded: " + e.getMessage()
                        + "; the previous values stay until those names are removed");
            } catch (SecretsException e) {
                LOG.warn("Could not check the secrets under " + source.idPrefix() + " for a change: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (!events.isEmpty()) {
            reloader.reload();
            events.forEach(publisher::publishEvent);
        }
        return events.size();
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        reloader.check();
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
