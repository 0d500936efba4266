package dev.secrets.file;

import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.ReadsAndVersionsSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch reads, list filters, check-and-set and destroyed versions on the file store (no ETags: a batch
 * lists twice). A destroyed version is looked for in every file under the store's directory, temporary
 * files included.
 */
class FileReadsAndVersionsTest extends ReadsAndVersionsSuite {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new FileObjectStore(dir.resolve("store"));
    }

    @Override
    protected List<byte[]> storedBytes() {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.add(Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
