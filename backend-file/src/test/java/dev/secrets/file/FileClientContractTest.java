package dev.secrets.file;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.ClientContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The client contract on the file store (no ETags: reads confirm the latest generation by listing again). */
class FileClientContractTest extends ClientContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new FileObjectStore(dir.resolve("store"));
    }
}
