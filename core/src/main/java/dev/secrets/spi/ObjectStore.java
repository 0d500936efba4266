package dev.secrets.spi;

import java.util.Optional;

/**
 * What a backend implements: a durable store of immutable objects by key, with one atomic
 * operation, {@link #putIfAbsent create-if-absent}. Everything else — versions, labels,
 * compare-and-set, encryption, caching — is built on top of it, once, in core.
 *
 * <p>Keys are ASCII strings of the characters {@code A-Z a-z 0-9 / _ + = . @ - ~}, made of
 * non-empty {@code /}-separated segments, at most 1024 characters. Objects are at most a few MiB;
 * a backend never reads more than {@link #MAX_OBJECT_BYTES} of one object into memory, and
 * refuses a larger one with {@link dev.secrets.StoreUnavailableException} (whoever can write to the
 * store must not be able to exhaust a reader's memory). Backends see only ciphertext and value-free
 * metadata.
 *
 * <p>Implementations are thread-safe. Every method may throw
 * {@link dev.secrets.StoreUnavailableException} when the store cannot be reached or fails; a
 * backend retries transient faults (throttling, timeouts) itself within a bounded budget first.
 */
public interface ObjectStore extends AutoCloseable {
    /** The largest object a backend reads: 16 MiB (a secret's record holds at most 100 values of 64 KiB). */
    int MAX_OBJECT_BYTES = 16 * 1024 * 1024;

    /** The object's bytes, or empty when there is no object at {@code key}. */
    Optional<byte[]> get(String key);

    /**
     * The object with its ETag, for stores that give ETags in {@link #list} too (see
     * {@link StoredObject}). Lets core confirm with one read that the object it got at a listed key
     * is the one listed; a store without ETags leaves this default, and core lists once more instead.
     */
    default Optional<StoredObject> getWithETag(String key) {
        return get(key).map(bytes -> new StoredObject(bytes, null));
    }

    /**
     * Creates the object at {@code key} with {@code bytes} if there is none, atomically: of any
     * number of concurrent callers (threads, processes, machines) for one key, exactly one gets
     * {@code true}. When this returns {@code true} the object is durable and every later
     * {@link #get} and {@link #list} sees it whole; a crash before that leaves no object or the
     * whole object, never part of one.
     *
     * @return {@code true} if this call created the object, {@code false} if one already existed
     */
    boolean putIfAbsent(String key, byte[] bytes);

    /** Deletes the object at {@code key}; no error when there is none. */
    void delete(String key);

    /**
     * Up to {@code limit} keys that start with {@code prefix} and sort after {@code startAfter}
     * (by {@link String#compareTo}; {@code null} for the first page), in that order; with their
     * ETags when the store gives them (and then {@link #getWithETag} gives them too).
     */
    ListPage list(String prefix, String startAfter, int limit);

    /** Where this store is, for messages: the URI without credentials. */
    String location();

    @Override
    default void close() {
    }
}
