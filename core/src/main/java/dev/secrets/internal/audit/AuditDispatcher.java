package dev.secrets.internal.audit;

import dev.secrets.AuditFailedException;
import dev.secrets.ConfigurationException;
import dev.secrets.SecretsConfig;
import dev.secrets.audit.JsonLinesAuditSink;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.SecretsMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one sink the engine sees: hands each event to every configured sink. An event is recorded
 * when at least one sink took it (Vault's rule). When none did, it fails the operation with
 * {@link AuditFailedException} if the client fails closed; otherwise the error is swallowed and
 * counted ({@link #dropped()}, {@link SecretsMetrics#auditFailure}).
 *
 * <p>Thread-safe when the sinks are.
 */
public final class AuditDispatcher implements AuditSink {
    static final String SLF4J_SINK = "dev.secrets.audit.Slf4jAuditSink";

    private final List<AuditSink> sinks;
    private final boolean failClosed;
    private final SecretsMetrics metrics;
    private final LongAdder dropped = new LongAdder();

    public AuditDispatcher(List<AuditSink> sinks, boolean failClosed, SecretsMetrics metrics) {
        this.sinks = List.copyOf(sinks);
        this.failClosed = failClosed;
        this.metrics = metrics;
    }

    /**
     * The sinks a client gets: {@code explicit} ones from its builder, plus the file sink when
     * {@code secrets.audit.log} is set and the SLF4J sink when {@code secrets.audit.slf4j=true}.
     * Fail-closed is {@code failClosedOverride} when not null, else {@code secrets.audit.fail-closed},
     * else true unless the SLF4J sink is the only one. An empty list when there is no sink.
     */
    public static List<AuditSink> forClient(List<AuditSink> explicit, Boolean failClosedOverride, SecretsConfig cfg,
                                            SecretsMetrics metrics) {
        List<AuditSink> all = new ArrayList<>(explicit);
        cfg.get(SecretsConfig.AUDIT_LOG).filter(s -> !s.isBlank()).ifPresent(p -> all.add(new JsonLinesAuditSink(Path.of(p))));
        if (cfg.bool(SecretsConfig.AUDIT_SLF4J, false)) {
            all.add(slf4jSink());
        }
        if (all.isEmpty()) {
            return List.of();
        }
        boolean onlySlf4j = all.stream().allMatch(s -> s.getClass().getName().equals(SLF4J_SINK));
        boolean failClosed = failClosedOverride != null ? failClosedOverride : cfg.bool(SecretsConfig.AUDIT_FAIL_CLOSED, !onlySlf4j);
        return List.of(new AuditDispatcher(all, failClosed, metrics));
    }

    /** Loaded by name, so that core runs without slf4j-api when this sink is not asked for. */
    private static AuditSink slf4jSink() {
        try {
            Class.forName("org.slf4j.LoggerFactory", false, AuditDispatcher.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException(SecretsConfig.AUDIT_SLF4J + "=true needs org.slf4j:slf4j-api on the class path; "
                    + "add it (and a logging backend) or remove the setting", e);
        }
        try {
            return (AuditSink) Class.forName(SLF4J_SINK, true, AuditDispatcher.class.getClassLoader()).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigurationException("cannot start the SLF4J audit sink: " + e, e);
        }
    }

    public boolean failClosed() {
        return failClosed;
    }

    /** Events no sink recorded. */
    public long dropped() {
        return dropped.sum();
    }

    public List<AuditSink> sinks() {
        return sinks;
    }

    @Override
    public void record(AuditEvent event) {
        dispatch(List.of(event));
    }

    /** All of {@code events} to every sink, each sink taking them in one call; recorded when one sink took them all. */
    @Override
    public void recordAll(List<AuditEvent> events) {
        if (!events.isEmpty()) {
            dispatch(events);
        }
    }

    private void dispatch(List<AuditEvent> events) {
        AuditEvent event = events.get(0);
        RuntimeException first = null;
        boolean recorded = false;
        for (AuditSink s : sinks) {
            try {
                if (events.size() == 1) {
                    s.record(event);
                } else {
                    s.recordAll(events);
                }
                recorded = true;
            } catch (RuntimeException e) {
                for (AuditEvent lost : events) {
                    metrics.auditFailure(lost.action());
                }
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (!recorded) {
            dropped.add(events.size());
            if (failClosed) {
                throw new AuditFailedException("no audit sink could record '" + event.action() + "'"
                        + (event.secretId() == null ? "" : " of secret '" + event.secretId() + "'")
                        + "; the operation is refused because " + SecretsConfig.AUDIT_FAIL_CLOSED + " is true: "
                        + first.getMessage(), first);
            }
        }
    }

    @Override
    public void checkReady() {
        if (!failClosed) {
            return;
        }
        RuntimeException first = null;
        for (AuditSink s : sinks) {
            try {
                s.checkReady();
                return;
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw new AuditFailedException("no audit sink can record events; nothing was written because "
                    + SecretsConfig.AUDIT_FAIL_CLOSED + " is true: " + first.getMessage(), first);
        }
    }

    @Override
    public void close() {
        for (AuditSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // closing is best effort
            }
        }
    }
}
