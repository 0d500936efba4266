package dev.secrets.internal.store;

import dev.secrets.ConflictException;
import dev.secrets.StoreUnavailableException;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.RefusedObjectException;
import dev.secrets.spi.StoredObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compare-and-set over an {@link ObjectStore} that can only create-if-absent.
 *
 * <p>A named log is a sequence of immutable generations at {@code NAME/~<16 hex digits>}; the
 * highest is the current state. Appending generation n+1 is {@code putIfAbsent}: of concurrent
 * writers that read generation n, exactly one creates n+1. After a successful create the writer
 * lists once more: a higher generation means either later writers built on ours (fine) or ours
 * re-created a generation that compaction had removed after we read a stale n (our write lost).
 * Each object carries its <em>lineage</em> — the random write IDs of the last {@value #LINEAGE}
 * generations — so the two cases are told apart by reading the highest object. Older generations
 * are deleted once a newer one is acknowledged (compaction), so a read is one list and one get
 * on a store that gives ETags (two lists and one get on one that does not), whatever the number of writes.
 *
 * <p>Listings may be weakly consistent (a directory read, an in-memory server's index): a listing
 * that runs while a writer creates generation n+1 and compacts n away may show neither. A log is never
 * emptied once written (a deleted secret keeps a tombstone generation), so a reader never takes such a
 * listing for absence: a log this client has seen is listed again until a generation shows, and any
 * other log is reported absent only when a second listing, begun after the first, finds nothing
 * either. A writer whose own new generation is missing from its check listing lists again.
 *
 * <p>Object layout: see {@link RecordFrame}.
 * Thread-safe; holds no lock.
 */
public final class RecordLog {
    /** Write IDs kept per object. */
    static final int LINEAGE = 64;
    static final int ID_BYTES = 8;
    private static final int PAGE = 1000;
    private static final int READ_ATTEMPTS = 20;

    private final ObjectStore store;
    private final SecureRandom random;
    /** Per log, the highest generation this client verified or wrote: a read never goes below it. */
    private final ConcurrentHashMap<String, Long> highWater = new ConcurrentHashMap<>();

    public RecordLog(ObjectStore store, SecureRandom random) {
        this.store = store;
        this.random = random;
    }

    /** One generation of a log. */
    public static final class Entry {
        private final long generation;
        private final byte[] lineage;
        private final byte[] payload;

        Entry(long generation, byte[] lineage, byte[] payload) {
            this.generation = generation;
            this.lineage = lineage;
            this.payload = payload;
        }

        public long generation() {
            return generation;
        }

        public byte[] payload() {
            return payload;
        }

        /** The write ID of this generation's own write: the last one of its lineage. */
        byte[] writeId() {
            return Arrays.copyOfRange(lineage, lineage.length - ID_BYTES, lineage.length);
        }

        /**
         * Whether this generation's lineage records {@code writeId} for the generation {@code earlier}.
         * Trustworthy even when this object is a refused writer's re-creation: its lineage below its
         * own generation is that of the state its writer read, which was read by {@link #read}.
         */
        boolean recorded(long earlier, byte[] writeId) {
            int count = lineage.length / ID_BYTES;
            long oldestCovered = generation - count + 1;
            if (earlier < oldestCovered || earlier >= generation) {
                return false;
            }
            int index = (int) (earlier - oldestCovered);
            return Arrays.equals(Arrays.copyOfRange(lineage, index * ID_BYTES, (index + 1) * ID_BYTES), writeId);
        }
    }

    /** The key prefix under which the generations of {@code name} are stored. */
    public static String prefix(String name) {
        return name + "/~";
    }

    static String key(String name, long generation) {
        return prefix(name) + String.format("%016x", generation);
    }

    /** The name of the log whose generation {@code key} is, or null when {@code key} is not a generation key. */
    public static String nameOf(String key) {
        if (generationOf(key) < 0 || key.length() < 19) {
            return null;
        }
        return key.substring(0, key.length() - 18);
    }

    /** A key after every generation key of {@code name} and before the keys of any later name: where a listing resumes after it. */
    public static String after(String name) {
        return prefix(name) + "~";
    }

    /** The generation a key names, or -1 when it is not a generation key. */
    public static long generationOf(String key) {
        int i = key.lastIndexOf("/~");
        if (i < 0 || key.length() - i - 2 != 16) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(key.substring(i + 2), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The latest generation of {@code name}, or empty when the log does not exist.
     *
     * <p>A name can be used twice: once a generation is compacted away, a writer that read an older
     * state can create that name again (its write is then refused, and it deletes the object, but
     * meanwhile the object is there). So an object got by the name a listing showed as the latest
     * may not be the one that was listed. When the store gives ETags, the read keeps the object if
     * its ETag is the one listed. Otherwise it lists once more: if the latest is still the same
     * name, nothing newer was acknowledged meanwhile and so that name was never compacted — the
     * object read is the one listed. If a newer generation appeared, the object read is kept only
     * if the newer generation's lineage records its write ID; if not, the read starts again.
     */
    public Optional<Entry> read(String name) {
        // What was verified before this read began: a read concurrent with a write may still see the older state.
        Long mark = highWater.get(name);
        Listing listing = generations(name);
        boolean seen = mark != null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            if (listing.keys.isEmpty()) {
                if (seen) {
                    // A log is never emptied (a deleted secret keeps a tombstone generation): this listing
                    // ran while a write created the next generation and compacted the one before.
                    listing = generations(name);
                    continue;
                }
                Listing again = generations(name);
                if (again.keys.isEmpty()) {
                    return Optional.empty(); // two listings, one after the other, found nothing
                }
                listing = again;
                seen = true;
                continue;
            }
            seen = true;
            String latest = listing.latest();
            Optional<StoredObject> got = getWithETag(name, latest);
            if (got.isEmpty()) {
                // Compacted between list and get: a newer generation exists; look again.
                listing = generations(name);
                continue;
            }
            Entry entry = notRolledBack(name, parse(name, latest, got.get().bytes()), mark);
            if (listing.latestETag != null && listing.latestETag.equals(got.get().etag())) {
                return Optional.of(entry); // the very object listed as the latest
            }
            Listing again = generations(name);
            if (again.keys.isEmpty()) {
                listing = again; // missed mid-compaction (a log is never emptied): look again
                continue;
            }
            String now = again.latest();
            if (now.equals(latest)) {
                return Optional.of(entry);
            }
            Optional<byte[]> newer = get(name, now);
            if (newer.isPresent() && parse(name, now, newer.get()).recorded(entry.generation, entry.writeId())) {
                return Optional.of(entry); // the object read is in the history: a state that was the latest
            }
            listing = again;
        }
        if (listing.keys.isEmpty() && mark != null) {
            // Never a compaction's doing this many times over: every generation of a log it verified was deleted.
            throw rolledBack(name, "it has no generation left", mark);
        }
        throw new StoreUnavailableException("could not read '" + name + "' from " + store.location()
                + ": it kept changing under " + READ_ATTEMPTS + " attempts");
    }

    /**
     * Appends the generation after {@code previous} ({@code null}: the first generation).
     *
     * @return {@code true} when the write is acknowledged (durable and the new latest, or built upon);
     *     {@code false} when another writer got there first — re-read and try again
     * @throws ConflictException when the outcome cannot be confirmed (see class comment)
     */
    public boolean append(String name, Entry previous, byte[] payload) {
        long generation = previous == null ? 1 : previous.generation + 1;
        byte[] writeId = new byte[ID_BYTES];
        random.nextBytes(writeId);
        byte[] lineage = RecordFrame.extend(previous == null ? new byte[0] : previous.lineage, writeId);
        String key = key(name, generation);
        if (!store.putIfAbsent(key, RecordFrame.encode(generation, lineage, payload))) {
            return false;
        }
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            List<String> keys = generationKeys(name);
            if (keys.isEmpty() || generationOf(keys.get(keys.size() - 1)) < generation) {
                continue; // our object is gone, so a newer generation exists that this listing missed: look again
            }
            String latest = keys.get(keys.size() - 1);
            long latestGeneration = generationOf(latest);
            if (latestGeneration <= generation) {
                compact(keys, generation);
                confirm(name, generation); // our own acknowledged write: nothing below it may be read as current
                return true;
            }
            Optional<byte[]> bytes = get(name, latest);
            if (bytes.isEmpty()) {
                continue;
            }
            Entry newest = parse(name, latest, bytes.get());
            long oldestCovered = newest.generation - newest.lineage.length / ID_BYTES + 1;
            if (generation < oldestCovered) {
                throw new ConflictException("could not confirm the write to '" + name + "': more than " + LINEAGE
                        + " writes happened meanwhile; read it back before retrying (an idempotency token makes a retry safe)");
            }
            if (newest.recorded(generation, writeId)) {
                confirm(name, generation);
                return true; // later writers built on ours
            }
            // We re-created a generation that had been compacted: our write is not in the history.
            store.delete(key);
            return false;
        }
        throw new ConflictException("could not confirm the write to '" + name + "': the store kept changing");
    }

    /**
     * Deletes every generation of {@code name} older than {@code keep}, failing when one cannot be
     * deleted (unlike compaction after a write, which leaves that to the next writer).
     */
    public void deleteOlder(String name, long keep) {
        for (String k : generationKeys(name)) {
            if (generationOf(k) < keep) {
                store.delete(k);
            }
        }
    }

    private void compact(List<String> keys, long keep) {
        for (String k : keys) {
            if (generationOf(k) < keep) {
                try {
                    store.delete(k);
                } catch (RuntimeException e) {
                    // Compaction is an optimisation; the next writer will try again.
                }
            }
        }
    }

    /**
     * Deletes every generation of {@code name} older than {@code generation}, and lists again to check
     * that none is left (unlike compaction, which is best effort). For data that must be gone from the
     * store, such as a destroyed version's ciphertext that older generations still hold.
     *
     * @throws StoreUnavailableException when older generations remain after a few attempts
     */
    public void removeOlderThan(String name, long generation) {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> older = new ArrayList<>();
            for (String k : generationKeys(name)) {
                if (generationOf(k) < generation) {
                    older.add(k);
                }
            }
            if (older.isEmpty()) {
                return;
            }
            for (String k : older) {
                store.delete(k);
            }
        }
        throw new StoreUnavailableException("could not remove the older generations of '" + name + "' from " + store.location());
    }

    /** The generation keys of a log in order, and the ETag of the latest when the store gave one. */
    private record Listing(List<String> keys, String latestETag) {
        String latest() {
            return keys.get(keys.size() - 1);
        }
    }

    private List<String> generationKeys(String name) {
        return generations(name).keys;
    }

    private Listing generations(String name) {
        String prefix = prefix(name);
        List<String> out = new ArrayList<>();
        String latestETag = null;
        String after = null;
        while (true) {
            ListPage page = store.list(prefix, after, PAGE);
            for (int i = 0; i < page.keys().size(); i++) {
                String k = page.keys().get(i);
                if (generationOf(k) >= 0 && k.length() == prefix.length() + 16) {
                    out.add(k);
                    latestETag = page.etag(i);
                }
            }
            if (!page.truncated() || page.keys().isEmpty()) {
                return new Listing(out, latestETag);
            }
            after = page.keys().get(page.keys().size() - 1);
        }
    }

    /** Parses an object of log {@code name} read at {@code key} (for callers that listed and got it themselves). */
    public Entry parse(String name, String key, byte[] bytes) {
        return RecordFrame.decode(name, key, bytes);
    }

    /**
     * Records that the caller verified (MAC, decryption) generation {@code generation} of
     * {@code name}: from now on this client refuses any older generation as the latest.
     */
    public void confirm(String name, long generation) {
        highWater.merge(name, generation, Math::max);
    }

    /** Whether this client verified (or wrote) a generation of {@code name}: the log exists, whatever a listing shows. */
    public boolean verified(String name) {
        return highWater.containsKey(name);
    }

    private Entry notRolledBack(String name, Entry entry, Long mark) {
        if (mark != null && entry.generation < mark) {
            throw rolledBack(name, "its latest generation is " + entry.generation, mark);
        }
        return entry;
    }

    private dev.secrets.SecretRolledBackException rolledBack(String name, String found, Long mark) {
        String what = name.startsWith("secrets/") ? "secret '" + name.substring("secrets/".length()) + "'"
                : name.startsWith("keys/") ? "the keyring of master key '" + name.substring("keys/".length()) + "'" : "'" + name + "'";
        return new dev.secrets.SecretRolledBackException(what + " was rolled back in store " + store.location() + ": " + found
                + ", but this client already verified generation " + mark + "; newer generations were deleted, and the older state is refused");
    }

    /** {@link ObjectStore#get}, with an object the store refuses to read reported as a damaged record. */
    private Optional<byte[]> get(String name, String key) {
        try {
            return store.get(key);
        } catch (RefusedObjectException e) {
            throw new CorruptRecordException(name, key, e);
        }
    }

    private Optional<StoredObject> getWithETag(String name, String key) {
        try {
            return store.getWithETag(key);
        } catch (RefusedObjectException e) {
            throw new CorruptRecordException(name, key, e);
        }
    }

    /** An object of the log whose framing is damaged. */
    public static final class CorruptRecordException extends dev.secrets.SecretsException {
        private static final long serialVersionUID = 1L;
        private final String name;

        CorruptRecordException(String name, String key, Throwable cause) {
            super("stored object " + key + " is damaged" + (cause instanceof RefusedObjectException ? ": " + cause.getMessage() : ""), cause);
            this.name = name;
        }

        public String name() {
            return name;
        }
    }
}
