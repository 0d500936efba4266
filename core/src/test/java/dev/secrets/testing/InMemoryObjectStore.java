package dev.secrets.testing;

import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ObjectStore} in memory, for core's own tests: the same contract as a real backend
 * (atomic create-if-absent, keys listed in {@link String} order), without I/O. Thread-safe.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public Optional<byte[]> get(String key) {
        byte[] b = objects.get(key);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) {
        return objects.putIfAbsent(key, bytes.clone()) == null;
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        List<String> out = new ArrayList<>();
        Map<String, byte[]> tail = startAfter == null || startAfter.compareTo(prefix) < 0
                ? objects.tailMap(prefix, true) : objects.tailMap(startAfter, false);
        for (String k : tail.keySet()) {
            if (!k.startsWith(prefix)) {
                break;
            }
            if (out.size() == limit) {
                return new ListPage(out, true);
            }
            out.add(k);
        }
        return new ListPage(out, false);
    }

    /** Replaces an object's bytes, as an attacker or a faulty disk would. */
    public void overwrite(String key, byte[] bytes) {
        objects.put(key, bytes.clone());
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
