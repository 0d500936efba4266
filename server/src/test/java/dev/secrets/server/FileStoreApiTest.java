package dev.secrets.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The API contract on the file store. */
class FileStoreApiTest extends SecretsManagerApiContract {
    @TempDir
    Path dir;

    @Override
    String storeUri() {
        return "file:" + dir.resolve("store");
    }
}
