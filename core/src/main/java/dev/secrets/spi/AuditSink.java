package dev.secrets.spi;

/**
 * Receives audit events. Implementations are thread-safe; {@link #record} returns once the event
 * is recorded (or throws when it could not be, which fails the operation when the client is
 * configured to fail closed).
 */
public interface AuditSink extends AutoCloseable {
    void record(AuditEvent event);

    /**
     * Records {@code events} in order, as {@link #record} would each, returning once all are
     * recorded or throwing when they could not be (then any of them may or may not have been). A
     * sink that can write several events at the cost of one (one lock, one fsync) overrides this;
     * the default records them one by one.
     */
    default void recordAll(java.util.List<AuditEvent> events) {
        for (AuditEvent e : events) {
            record(e);
        }
    }

    /**
     * Called before an operation changes the store when the client fails closed: throws when an
     * event could not be recorded now (for a file: the file cannot be opened for writing), so that
     * the operation is refused before anything is written. The default checks nothing.
     */
    default void checkReady() {
    }

    @Override
    default void close() {
    }
}
