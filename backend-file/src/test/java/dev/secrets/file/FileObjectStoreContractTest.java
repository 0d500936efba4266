package dev.secrets.file;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.ObjectStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link ObjectStore} contract on the file store, in a new directory per test. */
class FileObjectStoreContractTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new FileObjectStore(dir.resolve("store"));
    }
}
