package dev.secrets.file;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretsConfig;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.ObjectStoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens {@code file:PATH} stores: {@code file:/var/lib/secrets}, {@code file:relative/dir} or
 * {@code file:///var/lib/secrets}. The directory is created by the first write.
 */
public final class FileObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public ObjectStore open(String uri, SecretsConfig config) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2); // file:///abs → /abs ; file://host/… is not supported
            if (!rest.startsWith("/")) {
                throw new ConfigurationException("store URI " + uri + " names a host; write file:/absolute/path or file:relative/path");
            }
        }
        if (rest.isBlank()) {
            throw new ConfigurationException("store URI " + uri + " has no path; write file:/absolute/path or file:relative/path");
        }
        try {
            return new FileObjectStore(Path.of(rest));
        } catch (InvalidPathException e) {
            throw new ConfigurationException("store URI " + uri + " is not a valid path", e);
        }
    }
}
