package dev.secrets.file;

import dev.secrets.ConfigurationException;
import dev.secrets.StoreUnavailableException;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.RefusedObjectException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} in a local directory: key {@code a/b/~0001} is the file
 * {@code ROOT/a/b/~0001}.
 *
 * <p>{@link #putIfAbsent} writes a temporary file in the target directory, forces it to disk,
 * then hard-links it to the final name — {@code link(2)} fails when the name exists, so the
 * create is atomic, and the file appears whole or not at all — and forces the directory.
 * No locks are needed: concurrent threads and processes are arbitrated by the file system.
 * Directories are created {@code 0700} and files {@code 0600}. A key segment longer than
 * {@value #MAX_SEGMENT} characters is split into chunks, each but the last ending in {@code ^}
 * (a character keys never contain), so file names stay under the 255-byte limit.
 *
 * <p>Whoever can write to the directory must not be able to hang or exhaust a reader: {@link #get}
 * reads only regular files, opened without following a symbolic link, of at most
 * {@link #MAX_OBJECT_BYTES}; a listing does not descend into a linked directory. An existing root
 * that every user can write to, or that belongs to another user than this process's (root aside),
 * is refused on open.
 *
 * <p>Thread-safe.
 */
public final class FileObjectStore implements ObjectStore {
    static final int MAX_SEGMENT = 200;
    /** Temporary files start with '^', which keys never contain: a secret ID segment like ".tmp-x" is a valid key. */
    private static final String TMP_PREFIX = "^tmp-";
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

    /**
     * The durable steps of a write, in order, at which a test's fault hook may stop the process:
     * {@link #putIfAbsent}'s data file forced to disk, its link to the final name, the directory
     * forced (the object, e.g. a record-log entry, is now durable), then {@link #delete} of an object
     * (e.g. the older generation a record-log entry supersedes).
     */
    enum Step { DATA_FILE_WRITTEN, LINKED, DIRECTORY_SYNCED, DELETED }

    /**
     * Called at each {@link Step} with the key written, when set. Package-private and unset in
     * production: only tests of this package (crash tests run in child JVMs) set it, to stop a write
     * at an exact step and prove the write path's ordering.
     */
    static volatile BiConsumer<Step, String> faultHook;

    private final Path root;
    private final boolean posix;

    public FileObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new ConfigurationException("store path " + this.root + " exists and is not a directory");
        }
        if (posix && Files.isDirectory(this.root)) {
            checkRootAccess(this.root);
        }
    }

    /**
     * Refuses a store root that another local user could write to: writable by others, or owned by
     * a user other than this process's (or root). Such a user could replace, delete or plant records.
     */
    private static void checkRootAccess(Path root) {
        try {
            PosixFileAttributes a = Files.readAttributes(root, PosixFileAttributes.class);
            if (a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new ConfigurationException("store directory " + root + " can be written by every user of the machine; run chmod o-w "
                        + root + " (or chmod 700)");
            }
            String owner = a.owner().getName();
            String me = System.getProperty("user.name");
            if (me != null && !owner.equals(me) && !owner.equals("root")) {
                throw new ConfigurationException("store directory " + root + " belongs to user " + owner + ", not to " + me
                        + " who runs this process; another user must not control the store");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Attributes cannot be read here: the first real access reports the problem.
        }
    }

    public Path root() {
        return root;
    }

    Path path(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            throw new IllegalArgumentException("bad key");
        }
        Path p = root;
        for (String segment : key.split("/")) {
            if (segment.equals(".") || segment.equals("..") || segment.startsWith(TMP_PREFIX)) {
                throw new IllegalArgumentException("bad key segment");
            }
            for (String chunk : chunks(segment)) {
                p = p.resolve(chunk);
            }
        }
        return p;
    }

    static List<String> chunks(String segment) {
        if (segment.length() <= MAX_SEGMENT) {
            return List.of(segment);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (segment.length() - i > MAX_SEGMENT) {
            out.add(segment.substring(i, i + MAX_SEGMENT) + "^");
            i += MAX_SEGMENT;
        }
        out.add(segment.substring(i));
        return out;
    }

    @Override
    public Optional<byte[]> get(String key) {
        Path p = path(key);
        try {
            // Never follow a link planted in the store (to /dev/zero, a FIFO, another user's file):
            // the object must be a regular file, opened with O_NOFOLLOW, and at most MAX_OBJECT_BYTES.
            BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                throw refused(key, attrs.isSymbolicLink() ? "is a symbolic link; the file store follows no links"
                        : "is not a regular file");
            }
            try (SeekableByteChannel ch = Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                long size = ch.size();
                if (size > MAX_OBJECT_BYTES) {
                    throw refused(key, "is " + size + " bytes, more than the " + MAX_OBJECT_BYTES + " an object may have");
                }
                ByteBuffer buf = ByteBuffer.allocate((int) size + 1);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // read until the end, or one byte past the size seen (the file grew: refused below)
                }
                if (!buf.hasRemaining()) {
                    throw refused(key, "grew while it was read");
                }
                return Optional.of(Arrays.copyOf(buf.array(), buf.position()));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(p)) {
                throw refused(key, "is a symbolic link; the file store follows no links");
            }
            throw unavailable("read " + key, e);
        } catch (IOException e) {
            throw unavailable("read " + key, e);
        }
    }

    private RefusedObjectException refused(String key, String why) {
        return new RefusedObjectException("file store " + root + ": object " + key + " " + why + "; it is not read");
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) {
        Path target = path(key);
        Path dir = target.getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = null;
            try {
                createDirectories(dir);
                tmp = dir.resolve(TMP_PREFIX + UUID.randomUUID());
                try (FileChannel ch = posix
                        ? FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttrs(FILE_PERMS))
                        : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                reached(Step.DATA_FILE_WRITTEN, key);
                try {
                    Files.createLink(target, tmp);
                    reached(Step.LINKED, key);
                } catch (FileAlreadyExistsException e) {
                    return false;
                } finally {
                    Files.deleteIfExists(tmp);
                    tmp = null;
                }
                forceDirectory(dir);
                reached(Step.DIRECTORY_SYNCED, key);
                return true;
            } catch (NoSuchFileException e) {
                // The directory was removed by a concurrent delete of its last entry: create it again.
                if (attempt >= 10) {
                    throw unavailable("write " + key, e);
                }
            } catch (IOException e) {
                throw unavailable("write " + key, e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a leftover temporary file is harmless: it is never a key
                    }
                }
            }
        }
    }

    @Override
    public void delete(String key) {
        Path p = path(key);
        try {
            if (Files.deleteIfExists(p)) {
                reached(Step.DELETED, key);
                // Remove directories left empty, up to the root; a concurrent writer re-creates them.
                Path dir = p.getParent();
                while (dir != null && !dir.equals(root)) {
                    try {
                        Files.delete(dir);
                    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                        break;
                    }
                    dir = dir.getParent();
                }
            }
        } catch (IOException e) {
            throw unavailable("delete " + key, e);
        }
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        // The directory to walk: the deepest one that every matching key lies under.
        int slash = prefix.lastIndexOf('/');
        String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
        Path dir = dirKey.isEmpty() ? root : path(dirKey);
        List<String> keys = new ArrayList<>();
        try {
            walk(dir, dirKey, prefix, keys);
        } catch (IOException e) {
            throw unavailable("list " + prefix, e);
        }
        Collections.sort(keys);
        List<String> page = new ArrayList<>();
        boolean truncated = false;
        for (String k : keys) {
            if (startAfter != null && k.compareTo(startAfter) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                truncated = true;
                break;
            }
            page.add(k);
        }
        return new ListPage(page, truncated);
    }

    private void walk(Path dir, String dirKey, String prefix, List<String> out) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.toList();
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(TMP_PREFIX)) {
                continue;
            }
            boolean continued = name.endsWith("^");
            String segment = continued ? name.substring(0, name.length() - 1) : name;
            // A chunked segment continues in the sub-directory without a '/'.
            String key = dirKey.isEmpty() || dirKey.endsWith("^") ? dirKey.replaceAll("\\^$", "") + segment : dirKey + "/" + segment;
            if (continued) {
                key = key + "^";
            }
            String keyText = key.replace("^", "");
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                String asDir = continued ? keyText : keyText + "/";
                if (asDir.startsWith(prefix) || prefix.startsWith(asDir)) {
                    walk(p, key, prefix, out);
                }
            } else if (keyText.startsWith(prefix)) {
                out.add(keyText);
            }
        }
    }

    private static void reached(Step step, String key) {
        BiConsumer<Step, String> hook = faultHook;
        if (hook != null) {
            hook.accept(step, key);
        }
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !parent.equals(dir)) {
            createDirectories(parent);
        }
        try {
            if (posix) {
                Files.createDirectory(dir, fileAttrs(DIR_PERMS));
            } else {
                Files.createDirectory(dir);
            }
            if (parent != null) {
                forceDirectory(parent);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename is still atomic there.
        }
    }

    private static FileAttribute<?>[] fileAttrs(Set<PosixFilePermission> perms) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)};
    }

    private StoreUnavailableException unavailable(String what, IOException e) {
        return new StoreUnavailableException("file store " + root + ": could not " + what + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }

    @Override
    public String location() {
        return "file:" + root;
    }

    @Override
    public String toString() {
        return "FileObjectStore[" + root + "]";
    }
}
