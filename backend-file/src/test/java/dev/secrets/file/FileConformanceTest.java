package dev.secrets.file;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.BackendConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The backend conformance suite on the file store. */
class FileConformanceTest extends BackendConformanceSuite {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new FileObjectStore(dir.resolve("store"));
    }
}
