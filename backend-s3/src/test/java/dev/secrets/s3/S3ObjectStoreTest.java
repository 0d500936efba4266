package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.StoreUnavailableException;
import dev.secrets.s3.testing.S3ProxyExtension;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.spi.ListPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(S3ProxyExtension.class)
class S3ObjectStoreTest {
    private final S3ProxyServer s3;
    private S3ObjectStore store;
    private String bucket;

    S3ObjectStoreTest(S3ProxyServer s3) {
        this.s3 = s3;
    }

    @BeforeEach
    void newBucket() {
        bucket = s3.newBucket();
        store = s3.storeBuilder(s3.storeUri(bucket, "team/app")).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putIfAbsent_createsOnce_andGetReturnsTheFirstBytes() {
        assertThat(store.putIfAbsent("secrets/a/~0000000000000001", bytes("one"))).isTrue();
        assertThat(store.putIfAbsent("secrets/a/~0000000000000001", bytes("two"))).isFalse();
        assertThat(store.get("secrets/a/~0000000000000001")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("one")));
    }

    @Test
    void get_ofMissingKey_isEmpty() {
        assertThat(store.get("secrets/none/~0000000000000001")).isEmpty();
    }

    @Test
    void delete_removesTheObject_andIsIdempotent() {
        store.putIfAbsent("k/~1", bytes("x"));
        store.delete("k/~1");
        store.delete("k/~1");
        assertThat(store.get("k/~1")).isEmpty();
        assertThat(store.putIfAbsent("k/~1", bytes("y"))).isTrue();
    }

    @Test
    void objectsLiveUnderThePrefixOfTheUri() {
        store.putIfAbsent("store", bytes("id"));
        List<String> keys = s3.admin().listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
        assertThat(keys).containsExactly("team/app/store");
    }

    @Test
    void keysWithEveryAllowedCharacter_roundTripThroughListAndGet() {
        List<String> keys = List.of("secrets/a+b=c@d.e_f-g/~0000000000000001", "secrets/A~Z/9/~0000000000000002", "secrets/x y".replace(' ', '='));
        for (String k : keys) {
            assertThat(store.putIfAbsent(k, bytes(k))).isTrue();
        }
        assertThat(store.list("secrets/", null, 100).keys()).containsExactlyElementsOf(keys.stream().sorted().toList());
        for (String k : keys) {
            assertThat(store.get(k)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes(k)));
        }
    }

    @Test
    void list_pagesInStringOrder_withStartAfterAndLimit() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String k = String.format("p/%03d", i);
            all.add(k);
            store.putIfAbsent(k, bytes("v"));
        }
        store.putIfAbsent("q/other", bytes("v"));
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        while (true) {
            ListPage page = store.list("p/", after, 10);
            pages++;
            assertThat(page.keys()).hasSizeLessThanOrEqualTo(10);
            seen.addAll(page.keys());
            if (!page.truncated()) {
                break;
            }
            after = page.keys().get(page.keys().size() - 1);
        }
        assertThat(seen).isEqualTo(all);
        assertThat(pages).isEqualTo(3);
        assertThat(store.list("p/", "p/020", 100).keys()).containsExactly("p/021", "p/022", "p/023", "p/024");
        assertThat(store.list("none/", null, 10).keys()).isEmpty();
    }

    @Test
    void twentyConcurrentCreatesOfOneKey_exactlyOneWins() throws Exception {
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<S3ObjectStore> stores = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                // A store (and so an S3 client) per writer, as separate machines would have.
                S3ObjectStore own = s3.storeBuilder(store.location()).build();
                stores.add(own);
                byte[] body = bytes("writer-" + i);
                Callable<Boolean> put = () -> {
                    start.await();
                    return own.putIfAbsent("race/~0000000000000001", body);
                };
                results.add(pool.submit(put));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
            assertThat(new String(store.get("race/~0000000000000001").orElseThrow(), StandardCharsets.UTF_8)).startsWith("writer-");
        } finally {
            pool.shutdownNow();
            stores.forEach(S3ObjectStore::close);
        }
    }

    @Test
    void missingBucket_failsWithAMessageNamingIt() {
        try (S3ObjectStore none = s3.storeBuilder(s3.storeUri("no-such-bucket-" + System.nanoTime(), null)).build()) {
            assertThatThrownBy(() -> none.putIfAbsent("k", bytes("v")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("NoSuchBucket")
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void location_isTheUriWithoutCredentials() {
        assertThat(store.location()).isEqualTo("s3://" + bucket + "/team/app?endpoint=" + s3.endpoint() + "&pathStyle=true");
    }
}
