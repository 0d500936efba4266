package dev.secrets.audit;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate process for {@link CachedReadsAuditTest}: takes the audit file's lock (the one
 * {@link JsonLinesAuditSink} takes around each append), holds it for the given milliseconds, and
 * reports on standard output {@code locked <nanoTime>} once it holds it and {@code released <nanoTime>}
 * with the time just before it let go ({@code System.nanoTime()} is the system's monotonic clock on
 * Linux, shared by every process). Arguments: file, milliseconds.
 */
public final class AuditLockHolder {
    private AuditLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        long holdMillis = Long.parseLong(args[1]);
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.lock();
            System.out.println("locked " + System.nanoTime());
            System.out.flush();
            Thread.sleep(holdMillis); // a fixture standing for a slow writer in another process
            long releasing = System.nanoTime();
            lock.release();
            System.out.println("released " + releasing);
            System.out.flush();
        }
    }
}
