package dev.secrets.spi;

import dev.secrets.SecretsConfig;

/**
 * Opens an {@link ObjectStore} for a store URI. Found through {@link java.util.ServiceLoader} by
 * {@link #scheme()}: a new backend is one jar with a
 * {@code META-INF/services/dev.secrets.spi.ObjectStoreProvider} entry.
 */
public interface ObjectStoreProvider {

    /** The URI scheme this provider opens, lower case: {@code file}, {@code s3}. */
    String scheme();

    /**
     * Opens the store at {@code uri}. Opening does no I/O that could fail for a store that does not
     * exist yet: a new store is created by its first write.
     *
     * @param uri the whole store URI, scheme included, as the user wrote it
     * @param config the client's configuration, for backend-specific settings
     * @throws dev.secrets.ConfigurationException when the URI is malformed, saying how to write it
     */
    ObjectStore open(String uri, SecretsConfig config);
}
