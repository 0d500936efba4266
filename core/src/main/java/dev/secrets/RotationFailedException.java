package dev.secrets;

/**
 * A rotation step failed. The rotation stays in progress (its {@code PENDING} version is kept) and
 * the next attempt resumes it from the step that failed; {@code CURRENT} is unchanged unless the
 * failing step was the last. The message names the secret and the step, never a value; the cause is
 * the step's own exception.
 */
public class RotationFailedException extends SecretsException {
    private static final long serialVersionUID = 1L;

    private final String secretId;
    private final String step;

    public RotationFailedException(String secretId, String step, String message, Throwable cause) {
        super(message, cause);
        this.secretId = secretId;
        this.step = step;
    }

    /** The secret whose rotation failed. */
    public String secretId() {
        return secretId;
    }

    /** The step that failed: {@code createSecret}, {@code setSecret}, {@code testSecret} or {@code finishSecret}. */
    public String step() {
        return step;
    }
}
