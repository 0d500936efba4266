package dev.secrets.spi;

/**
 * Receives audit events. Implementations are thread-safe; {@link #record} returns once the event
 * is recorded (or throws when it could not be, which fails the operation when the client is
 * configured to fail closed).
 */
public interface AuditSink extends AutoCloseable {
    void record(AuditEvent event);

    @Override
    default void close() {
    }
}
