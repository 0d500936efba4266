package dev.secrets.testing;

import dev.secrets.StoreUnavailableException;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real {@link ObjectStore}: counts calls, records the prefixes listed, can be made
 * unreachable on demand ({@link StoreUnavailableException} from every call), and does not close
 * its delegate (several clients of one test can share it). Thread-safe.
 */
public final class InstrumentedObjectStore implements ObjectStore {
    private final ObjectStore delegate;
    public final AtomicInteger gets = new AtomicInteger();
    public final AtomicInteger puts = new AtomicInteger();
    public final AtomicInteger deletes = new AtomicInteger();
    public final AtomicInteger lists = new AtomicInteger();
    private final List<String> listedPrefixes = new CopyOnWriteArrayList<>();
    private volatile boolean unreachable;

    public InstrumentedObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    public ObjectStore delegate() {
        return delegate;
    }

    /** From now on every call fails as if the store could not be reached (or works again). */
    public void setUnreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** Calls that change the store. */
    public int writes() {
        return puts.get() + deletes.get();
    }

    public List<String> listedPrefixes() {
        return List.copyOf(listedPrefixes);
    }

    public void resetCounts() {
        gets.set(0);
        puts.set(0);
        deletes.set(0);
        lists.set(0);
        listedPrefixes.clear();
    }

    private void check() {
        if (unreachable) {
            throw new StoreUnavailableException("store " + delegate.location() + " is unreachable (test)");
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        check();
        gets.incrementAndGet();
        return delegate.get(key);
    }

    @Override
    public Optional<StoredObject> getWithETag(String key) {
        check();
        gets.incrementAndGet();
        return delegate.getWithETag(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) {
        check();
        puts.incrementAndGet();
        return delegate.putIfAbsent(key, bytes);
    }

    @Override
    public void delete(String key) {
        check();
        deletes.incrementAndGet();
        delegate.delete(key);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        check();
        lists.incrementAndGet();
        listedPrefixes.add(prefix);
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public String location() {
        return delegate.location();
    }
}
