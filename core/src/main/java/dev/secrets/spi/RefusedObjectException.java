package dev.secrets.spi;

import dev.secrets.StoreUnavailableException;

/**
 * Thrown by an {@link ObjectStore} for an object it holds but will not read: larger than
 * {@link ObjectStore#MAX_OBJECT_BYTES}, a symbolic link, not a regular file. Whoever can write to
 * the store planted or damaged it; core reports it as a damaged record of the secret or keyring it
 * belongs to, and other secrets stay readable.
 */
public class RefusedObjectException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    public RefusedObjectException(String message) {
        super(message);
    }
}
