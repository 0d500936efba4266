package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.InstrumentedObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.ManualScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caching client: TTL on an injected ticker, writes visible at once, bypass, stale values when the store is down. */
class SecretsClientCacheTest {
    private static final byte[] KEY = new byte[32];
    private final InMemoryObjectStore shared = new InMemoryObjectStore();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private InstrumentedObjectStore store;
    private SecretsClient cached;
    private SecretsClient writer;

    private static SecretsConfig config(Map<String, String> explicit) {
        return IsolatedConfig.builder()
                .setAll(explicit).build();
    }

    @BeforeEach
    void open() {
        store = new InstrumentedObjectStore(shared);
        cached = SecretsClient.builder().config(config(Map.of(SecretsConfig.CACHE_TTL, "10m"))).store(store)
                .masterKey("default", KEY).ticker(nanos::get).build();
        writer = SecretsClient.builder().config(config(Map.of())).store(shared).masterKey("default", KEY).build();
        writer.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("one")));
    }

    @AfterEach
    void close() {
        cached.close();
        writer.close();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aCachedRead_touchesNoStore_untilTheTtlFromConfigurationHasPassed() {
        assertThat(cached.getSecretValue("s").text()).isEqualTo("one");
        writer.putSecretValue("s", SecretValue.ofText("two"));
        store.resetCounts();

        advance(Duration.ofMinutes(9));
        assertThat(cached.getSecretValue("s").text()).isEqualTo("one");
        assertThat(store.gets.get() + store.lists.get()).isZero();

        advance(Duration.ofMinutes(1));
        assertThat(cached.getSecretValue("s").text()).isEqualTo("two");
        assertThat(store.lists.get()).isPositive();
    }

    @Test
    void aWriteThroughTheSameClient_isVisibleToItsNextRead() {
        assertThat(cached.getSecretValue("s").text()).isEqualTo("one");
        cached.putSecretValue("s", SecretValue.ofText("two"));
        assertThat(cached.getSecretValue("s").text()).isEqualTo("two");
        cached.moveLabel("s", Label.CURRENT, cached.describeSecret("s").versions().get(1).versionId());
        assertThat(cached.getSecretValue("s").text()).isEqualTo("one");
    }

    @Test
    void refresh_bypassesTheCache_andRefreshesIt() {
        cached.getSecretValue("s");
        writer.putSecretValue("s", SecretValue.ofText("two"));

        assertThat(cached.getSecretValue(GetSecretValueRequest.of("s").bypassingCache()).text()).isEqualTo("two");
        writer.putSecretValue("s", SecretValue.ofText("three"));
        assertThat(cached.refresh("s").text()).isEqualTo("three");
        store.resetCounts();
        assertThat(cached.getSecretValue("s").text()).isEqualTo("three");
        assertThat(store.gets.get()).isZero();
    }

    @Test
    void versionsReadById_areCachedForever_becauseTheyNeverChange() {
        String v1 = cached.getSecretValue("s").versionId();
        advance(Duration.ofDays(365));
        store.resetCounts();
        assertThat(cached.getSecretValue(GetSecretValueRequest.of("s").withVersionId(v1)).text()).isEqualTo("one");
        assertThat(store.gets.get()).isZero();
    }

    @Test
    void whenTheStoreIsUnreachable_aStaleValueIsServed_andABackgroundRefreshCatchesUp() {
        ManualScheduler refresher = new ManualScheduler();
        try (SecretsClient client = SecretsClient.builder().config(config(Map.of(SecretsConfig.CACHE_TTL, "10m"))).store(store)
                .masterKey("default", KEY).ticker(nanos::get).refreshScheduler(refresher).build()) {
            assertThat(client.getSecretValue("s").text()).isEqualTo("one");
            writer.putSecretValue("s", SecretValue.ofText("two"));
            advance(Duration.ofHours(1));
            store.setUnreachable(true);

            assertThat(client.getSecretValue("s").text()).isEqualTo("one");
            assertThat(client.getSecretValue("s").text()).isEqualTo("one");
            assertThatThrownBy(() -> client.getSecretValue("never-read")).isInstanceOf(StoreUnavailableException.class);
            assertThat(refresher.pending()).as("one refresh for the stale entry, however many reads").isEqualTo(1);

            // While the store stays down, each attempt schedules the next with a longer delay (0.5 s, 1 s, … plus jitter).
            assertThat(refresher.runDue()).isEqualTo(1);
            assertThat(refresher.delays()).hasSize(2);
            assertThat(refresher.delays().get(0)).isBetween(500L, 625L);
            assertThat(refresher.delays().get(1)).isBetween(1000L, 1250L);

            store.resetCounts();
            store.setUnreachable(false);
            // The background refresh reads the store by itself, without a caller.
            assertThat(refresher.runDue()).isEqualTo(1);
            assertThat(store.gets.get()).as("background refresh read the store").isPositive();
            assertThat(refresher.pending()).as("a refresh that succeeded schedules no other").isZero();
            // Once the refresh has put the new value in the cache, reads are served from memory again.
            int before = store.gets.get() + store.lists.get();
            assertThat(client.getSecretValue("s").text()).isEqualTo("two");
            assertThat(store.gets.get() + store.lists.get()).isEqualTo(before);
        }
    }

    @Test
    void aZeroTtl_readsTheStoreEveryTime() {
        SecretsClient uncached = SecretsClient.builder().config(config(Map.of())).store(store).masterKey("default", KEY)
                .cacheTtl(Duration.ZERO).ticker(nanos::get).build();
        uncached.getSecretValue("s");
        writer.putSecretValue("s", SecretValue.ofText("two"));
        assertThat(uncached.getSecretValue("s").text()).isEqualTo("two");
        assertThatThrownBy(() -> SecretsClient.builder().config(config(Map.of())).store(store).cacheTtl(Duration.ofSeconds(-1))
                .build()).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SecretsClient.builder().config(config(Map.of(SecretsConfig.CACHE_MAX_SIZE, "0"))).store(store)
                .build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("at least 1");
    }

    @Test
    void maxSize_countsSecrets_soThatManyCurrentValuesStayCached_andOneMoreEvictsOne() {
        for (String id : new String[] {"a", "b", "c", "d"}) {
            writer.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText("value of " + id)));
        }
        try (SecretsClient small = SecretsClient.builder().config(config(Map.of(SecretsConfig.CACHE_MAX_SIZE, "3"))).store(store)
                .masterKey("default", KEY).ticker(nanos::get).build()) {
            for (String id : new String[] {"a", "b", "c"}) {
                small.getSecretValue(id);
            }
            store.resetCounts();
            for (String id : new String[] {"a", "b", "c"}) {
                assertThat(small.getSecretValue(id).text()).isEqualTo("value of " + id);
            }
            assertThat(store.gets.get() + store.lists.get()).as("three secrets fit a max-size of 3").isZero();

            small.getSecretValue("d");
            store.resetCounts();
            for (String id : new String[] {"a", "b", "c", "d"}) {
                small.getSecretValue(id);
            }
            assertThat(store.gets.get()).as("one of the four was evicted and read again").isPositive();
        }
    }
}
