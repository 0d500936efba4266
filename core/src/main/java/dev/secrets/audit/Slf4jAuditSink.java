package dev.secrets.audit;

import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each event as one JSON object through SLF4J, to the logger {@value #LOGGER_NAME}: successes
 * at INFO, failures at WARN. Route that logger wherever the application's logging sends its audit
 * trail. There is no hash chain here (the logging system owns the records); use
 * {@link JsonLinesAuditSink} for a tamper-evident file.
 *
 * <p>{@code slf4j-api} is an optional dependency of {@code secrets-core}: this class is loaded only
 * when {@code secrets.audit.slf4j=true} is set or the application builds it. Whether the logging
 * backend kept the event cannot be known, so a client with only this sink does not fail closed by
 * default.
 *
 * <p>Thread-safe.
 */
public final class Slf4jAuditSink implements AuditSink {
    /** The name of the logger events go to. */
    public static final String LOGGER_NAME = "dev.secrets.audit";

    private final Logger logger;

    /** A sink logging to {@value #LOGGER_NAME}. */
    public Slf4jAuditSink() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    /** A sink logging to {@code logger}. */
    public Slf4jAuditSink(Logger logger) {
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    @Override
    public void record(AuditEvent event) {
        if (AuditEvent.FAILURE.equals(event.outcome())) {
            logger.warn("{}", AuditLine.json(event));
        } else {
            logger.info("{}", AuditLine.json(event));
        }
    }

    @Override
    public String toString() {
        return "Slf4jAuditSink[" + logger.getName() + "]";
    }
}
