package dev.secrets;

/**
 * The client could not be configured: a missing or malformed setting, an unknown store scheme, a bad key URI or key file. The message says which setting and how to fix it.
 */
public class ConfigurationException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
