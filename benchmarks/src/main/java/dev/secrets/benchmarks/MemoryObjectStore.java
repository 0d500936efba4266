package dev.secrets.benchmarks;

import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A stub {@link ObjectStore} in memory, for benchmarks that measure what happens above the store
 * (cache hits, decryption). Thread-safe; not durable.
 */
final class MemoryObjectStore implements ObjectStore {
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
        List<String> keys = new ArrayList<>();
        String from = startAfter != null && startAfter.compareTo(prefix) > 0 ? startAfter : prefix;
        for (String k : objects.tailMap(from, startAfter == null || !from.equals(startAfter)).keySet()) {
            if (!k.startsWith(prefix)) {
                break;
            }
            if (keys.size() == limit) {
                return new ListPage(keys, true);
            }
            keys.add(k);
        }
        return new ListPage(keys, false);
    }

    @Override
    public String location() {
        return "memory:";
    }
}
