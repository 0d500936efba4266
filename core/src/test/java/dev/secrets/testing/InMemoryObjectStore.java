package dev.secrets.testing;

import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link ObjectStore} in memory, for core's own tests: the same contract as a real backend
 * (atomic create-if-absent, keys listed in {@link String} order), without I/O. Thread-safe.
 */
public final class InMemoryObjectStore implements ObjectStore {
    /** One object and its ETag: a number unique to each write, as an object store's would be. */
    private record Stored(byte[] bytes, String etag) {
    }

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final AtomicLong writes = new AtomicLong();

    private Stored stored(byte[] bytes) {
        return new Stored(bytes.clone(), "\"" + writes.incrementAndGet() + "\"");
    }

    @Override
    public Optional<byte[]> get(String key) {
        Stored o = objects.get(key);
        return o == null ? Optional.empty() : Optional.of(o.bytes.clone());
    }

    @Override
    public Optional<StoredObject> getWithETag(String key) {
        Stored o = objects.get(key);
        return o == null ? Optional.empty() : Optional.of(new StoredObject(o.bytes.clone(), o.etag));
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
        List<String> etags = new ArrayList<>();
        Map<String, Stored> tail = startAfter == null || startAfter.compareTo(prefix) < 0
                ? objects.tailMap(prefix, true) : objects.tailMap(startAfter, false);
        for (Map.Entry<String, Stored> e : tail.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (out.size() == limit) {
                return new ListPage(out, true, etags);
            }
            out.add(e.getKey());
            etags.add(e.getValue().etag);
        }
        return new ListPage(out, false, etags);
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
