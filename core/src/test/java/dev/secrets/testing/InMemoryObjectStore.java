package dev.secrets.testing;

import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.RefusedObjectException;
import dev.secrets.spi.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link ObjectStore} in memory: the same contract as a real backend (atomic create-if-absent,
 * keys listed in {@link String} order, objects over {@link #MAX_OBJECT_BYTES} refused on read; it
 * passes {@link ObjectStoreContract}), without I/O. Thread-safe; not durable. For tests in every
 * module, and for the benchmarks that measure what happens above the store.
 *
 * <p>By default it gives ETags, as S3 does; {@link #withoutETags()} gives none, as the file store,
 * so that a read confirms the latest generation by listing again.
 */
public final class InMemoryObjectStore implements ObjectStore {
    /** One object and its ETag: a number unique to each write, as an object store's would be. */
    private record Stored(byte[] bytes, String etag) {
    }

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final boolean etags;

    /** An empty store that gives ETags. */
    public InMemoryObjectStore() {
        this(true);
    }

    private InMemoryObjectStore(boolean etags) {
        this.etags = etags;
    }

    /** An empty store that gives no ETags, in listings or reads (like the file store). */
    public static InMemoryObjectStore withoutETags() {
        return new InMemoryObjectStore(false);
    }

    private Stored stored(byte[] bytes) {
        return new Stored(bytes.clone(), "\"" + writes.incrementAndGet() + "\"");
    }

    @Override
    public Optional<byte[]> get(String key) {
        Stored o = read(key);
        return o == null ? Optional.empty() : Optional.of(o.bytes.clone());
    }

    @Override
    public Optional<StoredObject> getWithETag(String key) {
        Stored o = read(key);
        return o == null ? Optional.empty() : Optional.of(new StoredObject(o.bytes.clone(), etags ? o.etag : null));
    }

    private Stored read(String key) {
        Stored o = objects.get(key);
        if (o != null && o.bytes.length > MAX_OBJECT_BYTES) {
            throw new RefusedObjectException(location() + ": object " + key + " is " + o.bytes.length + " bytes, more than the "
                    + MAX_OBJECT_BYTES + " an object may have; it is not read");
        }
        return o;
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) {
        return objects.putIfAbsent(key, stored(bytes)) == null;
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        List<String> out = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        Map<String, Stored> tail = startAfter == null || startAfter.compareTo(prefix) < 0
                ? objects.tailMap(prefix, true) : objects.tailMap(startAfter, false);
        for (Map.Entry<String, Stored> e : tail.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (out.size() == limit) {
                return page(out, true, tags);
            }
            out.add(e.getKey());
            if (etags) {
                tags.add(e.getValue().etag);
            }
        }
        return page(out, false, tags);
    }

    private ListPage page(List<String> keys, boolean truncated, List<String> tags) {
        return etags ? new ListPage(keys, truncated, tags) : new ListPage(keys, truncated);
    }

    /** Replaces an object's bytes, as an attacker or a faulty disk would. */
    public void overwrite(String key, byte[] bytes) {
        objects.put(key, stored(bytes));
    }

    /** Every key, in order. */
    public List<String> keys() {
        return new ArrayList<>(objects.keySet());
    }

    @Override
    public String location() {
        return "memory:";
    }
}
