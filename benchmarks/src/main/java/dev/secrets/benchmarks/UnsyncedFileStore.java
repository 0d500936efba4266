package dev.secrets.benchmarks;

import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes objects in the file layout of {@code dev.secrets.file.FileObjectStore} (key {@code a/b/~1}
 * is the file {@code ROOT/a/b/~1}) without forcing anything to disk, to populate large benchmark
 * stores in seconds instead of minutes; the benchmarks then read them with the real file store.
 * Handles only what writing through a client needs: keys with segments of at most 200 characters,
 * and listings of the direct children of one directory. Not durable; not for anything but setup.
 */
final class UnsyncedFileStore implements ObjectStore {
    private final Path root;

    UnsyncedFileStore(Path root) {
        this.root = root;
    }

    private Path path(String key) {
        return root.resolve(key);
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) {
        Path p = path(key);
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        int slash = prefix.lastIndexOf('/');
        String dirKey = slash < 0 ? "" : prefix.substring(0, slash + 1);
        Path dir = dirKey.isEmpty() ? root : path(dirKey);
        List<String> keys = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).map(p -> dirKey + p.getFileName()).filter(k -> k.startsWith(prefix))
                    .filter(k -> startAfter == null || k.compareTo(startAfter) > 0).sorted().forEach(keys::add);
        } catch (NoSuchFileException e) {
            return new ListPage(List.of(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean truncated = keys.size() > limit;
        return new ListPage(truncated ? keys.subList(0, limit) : keys, truncated);
    }

    @Override
    public String location() {
        return "file:" + root + " (unsynced, for benchmark setup)";
    }
}
