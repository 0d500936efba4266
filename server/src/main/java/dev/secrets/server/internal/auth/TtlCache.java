package dev.secrets.server.internal.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Values (present or absent) kept for a fixed time after they were loaded, measured with an
 * injected ticker in nanoseconds. So a change made by another process (an access key disabled by the
 * CLI, a resource policy put through another server) is seen within the TTL. Thread-safe; two
 * threads may load the same key at once (both results are the same).
 */
public final class TtlCache<K, V> {
    private record Entry<V>(Optional<V> value, long loadedAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier ticker;
    private final int maxSize;

    public TtlCache(long ttlNanos, LongSupplier ticker, int maxSize) {
        this.ttlNanos = ttlNanos;
        this.ticker = ticker;
        this.maxSize = maxSize;
    }

    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        long now = ticker.getAsLong();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.loadedAt < ttlNanos) {
            return e.value;
        }
        Optional<V> v = loader.apply(key);
        if (entries.size() >= maxSize) {
            entries.clear(); // a flood of unknown keys must not grow memory without bound
        }
        entries.put(key, new Entry<>(v, now));
        return v;
    }

    public void invalidate(K key) {
        entries.remove(key);
    }
}
