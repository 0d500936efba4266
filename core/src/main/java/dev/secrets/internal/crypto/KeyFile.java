package dev.secrets.internal.crypto;

import dev.secrets.ConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the bytes of a key file ({@code file:PATH} key URIs) as a local attacker cannot subvert:
 * a symbolic link (a Kubernetes Secret mount: {@code key -> ..data/key}) is resolved first, and
 * the <em>target</em> is checked — a regular file, not readable or writable by group or others,
 * owned by this process's user or by root. The target is then opened without following links and
 * read only if it is still the file that was checked (same file key), so it cannot be swapped
 * between the check and the read. At most 4 KiB is read.
 */
public final class KeyFile {
    private static final int MAX_BYTES = 4096;

    private KeyFile() {
    }

    /**
     * The file's bytes (the caller zeroes them after use).
     *
     * @throws ConfigurationException naming the file and what is wrong with it, never its content
     */
    public static byte[] read(String keyName, Path path) {
        Path target;
        try {
            target = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("key URI file:" + path + " of master key '" + keyName + "': no such file " + path);
        } catch (IOException e) {
            throw unreadable(keyName, path, e);
        }
        String shown = target.equals(path.toAbsolutePath()) ? path.toString() : path + " (-> " + target + ")";
        try {
            PosixFileAttributes before = posix(target);
            if (before != null) {
                check(keyName, shown, target, before);
            } else if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigurationException("key file " + shown + " of master key '" + keyName + "' is not a regular file");
            }
            try (SeekableByteChannel ch = Files.newByteChannel(target, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                PosixFileAttributes after = posix(target);
                if (before != null && (after == null || !Objects.equals(before.fileKey(), after.fileKey()))) {
                    throw new ConfigurationException("key file " + shown + " of master key '" + keyName
                            + "' was replaced while it was opened; try again");
                }
                ByteBuffer buf = ByteBuffer.allocate(MAX_BYTES + 1);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // until the end, or one byte past the limit
                }
                byte[] out = Arrays.copyOf(buf.array(), buf.position());
                Arrays.fill(buf.array(), (byte) 0);
                if (out.length > MAX_BYTES) {
                    Arrays.fill(out, (byte) 0);
                    throw new ConfigurationException("key file " + shown + " of master key '" + keyName + "' is larger than a key file can be");
                }
                return out;
            }
        } catch (IOException e) {
            throw unreadable(keyName, path, e);
        }
    }

    private static PosixFileAttributes posix(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return null; // not a POSIX file system: nothing to check
        }
    }

    private static void check(String keyName, String shown, Path target, PosixFileAttributes a) {
        if (!a.isRegularFile()) {
            throw new ConfigurationException("key file " + shown + " of master key '" + keyName + "' is not a regular file");
        }
        for (PosixFilePermission p : a.permissions()) {
            if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
                throw new ConfigurationException("key file " + shown + " of master key '" + keyName
                        + "' can be accessed by group or others; run chmod 600 " + target + " (Kubernetes: defaultMode: 0400)");
            }
        }
        String owner = a.owner().getName();
        String me = System.getProperty("user.name");
        if (me != null && !owner.equals(me) && !owner.equals("root")) {
            throw new ConfigurationException("key file " + shown + " of master key '" + keyName + "' belongs to user " + owner
                    + ", not to " + me + " who runs this process (or root)");
        }
    }

    private static ConfigurationException unreadable(String keyName, Path path, IOException e) {
        return new ConfigurationException("key file " + path + " of master key '" + keyName + "' cannot be read", e);
    }
}
