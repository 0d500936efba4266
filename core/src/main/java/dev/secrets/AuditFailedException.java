package dev.secrets;

/**
 * No audit sink could record the event of an operation while the client fails closed
 * ({@code secrets.audit.fail-closed=true}): the operation is refused rather than go unrecorded.
 * A write refused this way changed nothing in the store. The cause is the sink's error.
 */
public class AuditFailedException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public AuditFailedException(String message) {
        super(message);
    }

    public AuditFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
