package dev.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.StoreUnavailableException;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.RefusedObjectException;
import dev.secrets.spi.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ObjectStore} SPI's own promises, written once and run on every backend: create-if-absent
 * is atomic with exactly one winner and keeps the first bytes, reads of a missing key are empty,
 * listings are in {@link String} order by prefix and page with {@code startAfter}, delete is
 * idempotent, ETags (when given) identify one object, objects up to {@link ObjectStore#MAX_OBJECT_BYTES}
 * round-trip and a larger one is refused on read. Nothing here goes through core: what core builds on
 * top of these promises is {@link ClientContract}'s subject.
 *
 * <p>A backend's test extends this class and implements {@link #newStore()}.
 */
public abstract class ObjectStoreContract {
    /** The store under test: fresh and empty for each test, closed after it. */
    protected ObjectStore store;

    /** A fresh, empty store; called once per test. It is closed after the test. */
    protected abstract ObjectStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void putIfAbsent_createsOnce_andTheFirstBytesStay() {
        ObjectStore s = store;
        assertThat(s.get("x/~1")).isEmpty();
        assertThat(s.putIfAbsent("x/~1", "first".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(s.putIfAbsent("x/~1", "second".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(s.get("x/~1")).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("first"));
        assertThat(s.putIfAbsent("x/~2", new byte[0])).isTrue();
        assertThat(s.get("x/~2")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void putIfAbsent_hasExactlyOneWinner_amongConcurrentWriters() throws Exception {
        ObjectStore s = store;
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "race/~" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] mine = ("writer-" + t).getBytes(StandardCharsets.UTF_8);
                    results.add(pool.submit(() -> {
                        start.await();
                        return s.putIfAbsent(key, mine);
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    if (results.get(t).get(30, TimeUnit.SECONDS)) {
                        winners.add(t);
                    }
                }
                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(new String(s.get(key).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("writer-" + winners.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void list_returnsKeysInStringOrder_filteredByPrefix_andPagesWithStartAfter() {
        ObjectStore s = store;
        List<String> keys = List.of("a/b/~1", "a/b/~2", "a/b/c/~1", "a/b-c/~1", "a/bc/~1", "a/b.c/~1", "a/~0", "b/~1",
                "a/b/" + "z".repeat(300) + "/~1");
        for (String k : keys) {
            assertThat(s.putIfAbsent(k, k.getBytes(StandardCharsets.UTF_8))).isTrue();
        }

        List<String> underAB = keys.stream().filter(k -> k.startsWith("a/b/")).sorted().collect(Collectors.toList());
        ListPage ab = s.list("a/b/", null, 100);
        assertThat(ab.keys()).isEqualTo(underAB);
        assertThat(ab.truncated()).isFalse();
        List<String> underA = keys.stream().filter(k -> k.startsWith("a/b")).sorted().collect(Collectors.toList());
        assertThat(s.list("a/b", null, 100).keys()).isEqualTo(underA);
        assertThat(s.list("", null, 100).keys()).isEqualTo(keys.stream().sorted().collect(Collectors.toList()));
        assertThat(s.list("a/b/~", null, 100).keys()).containsExactly("a/b/~1", "a/b/~2");
        assertThat(s.list("nothing/", null, 100).keys()).isEmpty();
        assertThat(s.list("nothing/", null, 100).truncated()).isFalse();

        List<String> paged = new ArrayList<>();
        String after = null;
        while (true) {
            ListPage p = s.list("a/", after, 2);
            assertThat(p.keys().size()).isLessThanOrEqualTo(2);
            paged.addAll(p.keys());
            if (!p.truncated()) {
                break;
            }
            after = p.keys().get(p.keys().size() - 1);
        }
        assertThat(paged).isEqualTo(keys.stream().filter(k -> k.startsWith("a/")).sorted().collect(Collectors.toList()));
        assertThat(s.list("a/b/", "a/b/~1", 100).keys()).containsExactly("a/b/~2");
        assertThat(s.get("a/b/" + "z".repeat(300) + "/~1")).isPresent();
    }

    @Test
    void delete_isIdempotent_andTheKeyCanBeCreatedAgain() {
        ObjectStore s = store;
        s.putIfAbsent("d/~1", new byte[] {1});
        s.putIfAbsent("d/e/~1", new byte[] {2});

        s.delete("d/~1");
        s.delete("d/~1");
        s.delete("never/~1");

        assertThat(s.get("d/~1")).isEmpty();
        assertThat(s.list("d/", null, 10).keys()).containsExactly("d/e/~1");
        s.delete("d/e/~1");
        assertThat(s.list("d/", null, 10).keys()).isEmpty();
        assertThat(s.putIfAbsent("d/e/~1", new byte[] {3})).isTrue();
        assertThat(s.get("d/e/~1")).hasValueSatisfying(b -> assertThat(b).containsExactly(3));
    }

    /**
     * ETags are optional; a store that gives them must give the same one in a listing and in a
     * read of the same object, and another one for an object created again at that key — core
     * relies on that to tell the object it listed from a later one at the same key.
     */
    @Test
    void etags_whenGiven_identifyTheObject_andChangeWhenTheKeyIsWrittenAgain() {
        ObjectStore s = store;
        assertThat(s.putIfAbsent("t/~1", "first".getBytes(StandardCharsets.UTF_8))).isTrue();
        ListPage page = s.list("t/", null, 10);
        StoredObject got = s.getWithETag("t/~1").orElseThrow();
        assertThat(new String(got.bytes(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(page.keys()).containsExactly("t/~1");
        if (page.etag(0) == null) {
            assertThat(got.etag()).as("a store without ETags in listings").isNull();
            return;
        }
        assertThat(got.etag()).isEqualTo(page.etag(0));

        s.delete("t/~1");
        assertThat(s.putIfAbsent("t/~1", "second".getBytes(StandardCharsets.UTF_8))).isTrue();
        ListPage again = s.list("t/", null, 10);
        assertThat(again.etag(0)).isNotEqualTo(page.etag(0));
        assertThat(s.getWithETag("t/~1").orElseThrow().etag()).isEqualTo(again.etag(0));
        assertThat(s.getWithETag("t/~absent")).isEmpty();
    }

    @Test
    void keysWithEveryAllowedCharacter_roundTrip() {
        ObjectStore s = store;
        String key = "AZaz09_+=.@-~/x.y/~0000000000000001";
        assertThat(s.putIfAbsent(key, new byte[] {7})).isTrue();
        assertThat(s.list("AZ", null, 10).keys()).containsExactly(key);
        assertThat(s.get(key)).isPresent();
        assertThat(s.location()).isNotBlank();
    }

    @Test
    void aKeyNeverWritten_readsAsEmpty_andDeletingOrListingItIsNoError() {
        assertThat(store.get("missing/~1")).isEmpty();
        assertThat(store.getWithETag("missing/~1")).isEmpty();
        store.delete("missing/~1");
        ListPage none = store.list("missing/", null, 10);
        assertThat(none.keys()).isEmpty();
        assertThat(none.truncated()).isFalse();

        assertThat(store.putIfAbsent("present/~1", new byte[] {1})).isTrue();
        assertThat(store.get("present/~2")).as("a sibling of an existing key").isEmpty();
        assertThat(store.list("present/~2", null, 10).keys()).isEmpty();
    }

    /**
     * Objects of up to {@link ObjectStore#MAX_OBJECT_BYTES} round-trip byte for byte; a larger one
     * (which only someone writing to the store behind core's back can plant: core never writes one)
     * is refused on read with {@link RefusedObjectException}, naming the key and the limit, and other
     * objects stay readable.
     */
    @Test
    void objectsUpToTheMaximumSize_roundTrip_andALargerOneIsRefusedOnRead() {
        byte[] max = new byte[ObjectStore.MAX_OBJECT_BYTES];
        for (int i = 0; i < max.length; i += 4096) {
            max[i] = (byte) (i >>> 12);
        }
        max[max.length - 1] = 42;
        assertThat(store.putIfAbsent("size/max/~1", max)).isTrue();
        assertThat(store.putIfAbsent("size/one/~1", new byte[] {9})).isTrue();
        assertThat(Arrays.equals(store.get("size/max/~1").orElseThrow(), max)).as("16 MiB object read back whole").isTrue();
        assertThat(Arrays.equals(store.getWithETag("size/max/~1").orElseThrow().bytes(), max)).isTrue();

        assertThat(store.putIfAbsent("size/over/~1", new byte[ObjectStore.MAX_OBJECT_BYTES + 1])).isTrue();
        assertThatThrownBy(() -> store.get("size/over/~1")).isInstanceOf(RefusedObjectException.class)
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("size/over/~1")
                .hasMessageContaining(String.valueOf(ObjectStore.MAX_OBJECT_BYTES));
        assertThatThrownBy(() -> store.getWithETag("size/over/~1")).isInstanceOf(RefusedObjectException.class);
        assertThat(store.list("size/", null, 10).keys()).containsExactly("size/max/~1", "size/one/~1", "size/over/~1");
        assertThat(store.get("size/one/~1")).hasValueSatisfying(b -> assertThat(b).containsExactly(9));
    }
}
