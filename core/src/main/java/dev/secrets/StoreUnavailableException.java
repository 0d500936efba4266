package dev.secrets;

/**
 * The backend could not be reached or failed; the operation may be retried. For writes, nothing partial is visible: a later read sees either the old or the new state.
 */
public class StoreUnavailableException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
