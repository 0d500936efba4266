package dev.secrets.spi;

/**
 * Listener for counters and timers, so that a metrics library (Micrometer, …) can be bound
 * without core depending on one. Register it with
 * {@link dev.secrets.SecretsClient.Builder#metrics(SecretsMetrics)}; every method has a no-op
 * default, so an implementation overrides only what it records.
 *
 * <p>Methods are called on the caller's thread, on the hot path for reads: they must be cheap and
 * must not block or throw. They never receive a value. Implementations are thread-safe.
 */
public interface SecretsMetrics {
    /** Records nothing. A client without metrics pays one boolean check per read. */
    SecretsMetrics NONE = new SecretsMetrics() {
    };

    /**
     * A value was read.
     *
     * @param secretId the secret
     * @param cacheHit true when served from the client's cache, false when read from the store
     * @param nanos    how long the read took
     */
    default void read(String secretId, boolean cacheHit, long nanos) {
    }

    /**
     * A read failed.
     *
     * @param secretId   the secret
     * @param errorClass simple class name of the error, e.g. {@code SecretNotFoundException}
     * @param nanos      how long the attempt took
     */
    default void readFailed(String secretId, String errorClass, long nanos) {
    }

    /**
     * A rotation attempt ended.
     *
     * @param secretId the secret
     * @param outcome  {@code succeeded} or {@code failed}
     */
    default void rotation(String secretId, String outcome) {
    }

    /**
     * How many secrets are older than their maximum age ({@code secrets.max-age}), counted at each
     * rotation status check ({@link dev.secrets.SecretsClient#rotationStatus()}, health checks). A gauge.
     *
     * @param count the secrets whose {@code CURRENT} is older than their maximum age
     */
    default void secretsTooOld(int count) {
    }

    /**
     * An audit sink could not record an event. With fail-closed off the event is dropped (and
     * only counted here); with fail-closed on, the operation fails when no sink recorded it.
     *
     * @param action the event's action
     */
    default void auditFailure(String action) {
    }
}
