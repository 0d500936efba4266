package dev.secrets.internal.store;

import dev.secrets.spi.ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The day each secret was last read from the store, kept as an empty object
 * {@code access/<ID>/~<yyyy-mm-dd>} (older days deleted). At most one write per secret per day and
 * process. Best effort: a read never fails because its date could not be recorded (a read-only
 * store), and an unreadable date is reported as unknown. Thread-safe.
 */
public final class AccessTracker {
    private static final String PREFIX = "access/";

    private final ObjectStore store;
    private final Clock clock;
    private final Map<String, LocalDate> recorded = new ConcurrentHashMap<>();

    public AccessTracker(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private static String prefix(String id) {
        return PREFIX + id + "/~";
    }

    /** Records that secret {@code id} was read today (UTC). */
    public void recordAccess(String id) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (today.equals(recorded.get(id))) {
            return;
        }
        try {
            String prefix = prefix(id);
            if (store.putIfAbsent(prefix + today, new byte[0])) {
                for (String k : store.list(prefix, null, 1000).keys()) {
                    if (k.compareTo(prefix + today) < 0) {
                        store.delete(k);
                    }
                }
            }
            recorded.put(id, today);
        } catch (RuntimeException e) {
            // Best effort: a read never fails because its access date could not be recorded (read-only stores).
        }
    }

    /** The start (UTC) of the last day secret {@code id} was read, or null when unknown. */
    public Instant lastAccessed(String id) {
        try {
            List<String> keys = store.list(prefix(id), null, 1000).keys();
            if (keys.isEmpty()) {
                return null;
            }
            String k = keys.get(keys.size() - 1);
            return LocalDate.parse(k.substring(k.lastIndexOf('~') + 1)).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
