package dev.secrets.audit;

import dev.secrets.AuditFailedException;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends each event as one JSON line to a file, every line carrying the SHA-256 hash of the line
 * before it ({@code prev}) and its own ({@code hash}), so that {@link AuditLogVerifier} detects a
 * removed, reordered, altered or truncated line. The format is described in the class comment of
 * the package's line codec; a line looks like
 * <pre>{"seq":7,"time":"2026-01-01T00:00:00Z","action":"secret.read","secretId":"prod/db","versionId":"…",
 * "outcome":"success","principal":"billing","prev":"3f…","hash":"9a…"}</pre>
 *
 * <p>Each event is written under an exclusive lock on the file ({@link FileChannel#lock()}, which
 * holds across processes) around reading the last line's hash, appending, and forcing the file to
 * disk, so any number of threads and processes can append to one file and the chain stays valid.
 * Events of concurrent threads are written together, with one lock and one fsync (group commit):
 * each still returns only once its own line is durable.
 * The file is opened for each event: a log moved away by a log rotator is simply started anew
 * (with a new chain), and a file that became unwritable fails the very next event.
 * A new file is created readable by its owner only. {@link #record} returns once the line is
 * durable; it throws {@link AuditFailedException} when it could not be written.
 *
 * <p>Thread-safe.
 */
public final class JsonLinesAuditSink implements AuditSink {
    private static final ConcurrentHashMap<Path, Shared> IN_PROCESS = new ConcurrentHashMap<>();
    private static final int TAIL_WINDOW = 4096;

    private final Path file;
    private final boolean sync;
    private final Shared shared;

    /**
     * What every sink of this process on one file shares. FileChannel locks are per process, so
     * threads queue on {@code lock} first; and whoever holds it writes every event queued so far
     * with one file lock and one fsync (group commit), so concurrent events cost one fsync together.
     */
    private static final class Shared {
        final ReentrantLock lock = new ReentrantLock();
        final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    }

    /** Events of one call waiting to be written; {@code done} and {@code error} are set under the shared lock. */
    private static final class Pending {
        final List<AuditEvent> events;
        boolean done;
        RuntimeException error;

        Pending(List<AuditEvent> events) {
            this.events = events;
        }
    }

    /** A sink appending to {@code file} (created when absent, as are its parent directories). */
    public JsonLinesAuditSink(Path file) {
        this(file, true);
    }

    /** With {@code sync} false the lines are not forced to disk (tests and benchmarks only). */
    JsonLinesAuditSink(Path file, boolean sync) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        this.sync = sync;
        this.shared = IN_PROCESS.computeIfAbsent(this.file, f -> new Shared());
    }

    /** The file this sink appends to. */
    public Path file() {
        return file;
    }

    @Override
    public void record(AuditEvent event) {
        write(new Pending(List.of(Objects.requireNonNull(event, "event"))));
    }

    /** Appends {@code events} in order with one file lock and one fsync, together with whatever other threads queued meanwhile. */
    @Override
    public void recordAll(List<AuditEvent> events) {
        if (!events.isEmpty()) {
            write(new Pending(List.copyOf(events)));
        }
    }

    private void write(Pending mine) {
        shared.queue.add(mine);
        shared.lock.lock();
        try {
            if (!mine.done) {
                List<Pending> batch = new ArrayList<>();
                for (Pending p; (p = shared.queue.poll()) != null; ) {
                    batch.add(p);
                }
                RuntimeException error = null;
                try {
                    append(batch);
                } catch (IOException | RuntimeException e) {
                    error = new AuditFailedException("could not append to the audit log " + file + ": " + e, e);
                }
                for (Pending p : batch) {
                    p.done = true;
                    p.error = error;
                }
            }
        } finally {
            shared.lock.unlock();
        }
        if (mine.error != null) {
            throw mine.error;
        }
    }

    /** Appends {@code batch} in order, chained to the file's last line, under the file lock, with one fsync. */
    private void append(List<Pending> batch) throws IOException {
        try (FileChannel ch = open(StandardOpenOption.READ); FileLock ignored = ch.lock()) {
            long size = ch.size();
            Tail tail = tail(ch, size);
            StringBuilder text = new StringBuilder(batch.size() * 320);
            if (tail.needsNewline) {
                text.append('\n');
            }
            long seq = tail.seq;
            String prev = tail.hash;
            for (Pending p : batch) {
                for (AuditEvent e : p.events) {
                    String line = AuditLine.format(e, ++seq, prev);
                    prev = AuditLine.hashOf(line);
                    text.append(line).append('\n');
                }
            }
            ByteBuffer buf = ByteBuffer.wrap(AuditLine.ascii(text.toString()));
            long pos = size;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            if (sync) {
                ch.force(false);
            }
        }
    }

    /** Opens (creating when absent) the file for writing, and closes it: fails when the next event could not be written. */
    @Override
    public void checkReady() {
        try (FileChannel ignored = open()) {
            // opened for writing: enough
        } catch (IOException | RuntimeException e) {
            throw new AuditFailedException("the audit log " + file + " cannot be written: " + e, e);
        }
    }

    private FileChannel open(OpenOption... more) throws IOException {
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        Set<OpenOption> options = new java.util.HashSet<>(Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        options.addAll(java.util.Arrays.asList(more));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return FileChannel.open(file, options, ownerOnly);
        }
        return FileChannel.open(file, options);
    }

    /** Sequence number and hash of the last complete line, and whether a torn last line must be ended first. */
    private record Tail(long seq, String hash, boolean needsNewline) {
    }

    private Tail tail(FileChannel ch, long size) throws IOException {
        if (size == 0) {
            return new Tail(0, AuditLine.GENESIS, false);
        }
        int window = (int) Math.min(size, TAIL_WINDOW);
        while (true) {
            byte[] b = new byte[window];
            ByteBuffer buf = ByteBuffer.wrap(b);
            long from = size - window;
            while (buf.hasRemaining()) {
                if (ch.read(buf, from + buf.position()) < 0) {
                    throw new IOException("the audit log shrank while locked");
                }
            }
            boolean torn = b[window - 1] != '\n';
            int end = lastIndexOf(b, window - 1, (byte) '\n');
            if (end < 0) {
                if (from == 0) {
                    return new Tail(0, AuditLine.GENESIS, true); // nothing but a torn first line
                }
                window = (int) Math.min(size, (long) window * 4);
                continue;
            }
            int start = lastIndexOf(b, end - 1, (byte) '\n') + 1;
            if (start == 0 && from > 0) {
                window = (int) Math.min(size, (long) window * 4);
                continue;
            }
            String line = new String(b, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            AuditLine.Parsed p = AuditLine.parse(line);
            if (p == null) {
                throw new IOException("its last complete line is not an audit entry; check it with 'secrets audit verify' "
                        + "and move the file aside to start a new log");
            }
            return new Tail(p.seq(), p.hash(), torn);
        }
    }

    private static int lastIndexOf(byte[] b, int fromIndex, byte value) {
        for (int i = fromIndex; i >= 0; i--) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "JsonLinesAuditSink[" + file + "]";
    }
}
