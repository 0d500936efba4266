package dev.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.BatchGetError;
import dev.secrets.BatchGetResult;
import dev.secrets.ConfigurationException;
import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.ListFilter;
import dev.secrets.ListSecretsRequest;
import dev.secrets.ListSort;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.VersionDescription;
import dev.secrets.VersionDestroyedException;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch reads, {@code ListSecrets} filters and sorting, check-and-set writes, destroyed versions and
 * the version limit, through the public {@link SecretsClient} on a real store. Run on each backend by a
 * subclass that gives {@link #newStore()}; a backend may override {@link #storedBytes()} to look at
 * its objects where they live (the file store walks its directory).
 */
public abstract class ReadsAndVersionsSuite {
    protected static final byte[] KEY = bytes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    protected MutableClock clock;
    protected InstrumentedObjectStore store;
    protected SecretsClient client;
    private ObjectStore raw;
    private final List<SecretsClient> clients = new ArrayList<>();

    /** A fresh, empty store; closed after the test. */
    protected abstract ObjectStore newStore();

    @BeforeEach
    void open() {
        clock = MutableClock.atFixedStart();
        raw = newStore();
        store = new InstrumentedObjectStore(raw);
        client = client(null);
    }

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
        raw.close();
    }

    protected SecretsClient client(Integer maxVersions) {
        SecretsClient.Builder b = SecretsClient.builder().config(IsolatedConfig.get()).store(store).masterKey("default", KEY).clock(clock)
                .cacheTtl(Duration.ZERO);
        if (maxVersions != null) {
            b.maxVersions(maxVersions);
        }
        SecretsClient c = b.build();
        clients.add(c);
        return c;
    }

    private static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    /** Every object of the store, as bytes; by default read through the SPI. */
    protected List<byte[]> storedBytes() {
        List<byte[]> out = new ArrayList<>();
        String after = null;
        while (true) {
            ListPage p = raw.list("", after, 1000);
            for (String k : p.keys()) {
                raw.get(k).ifPresent(out::add);
            }
            if (!p.truncated() || p.keys().isEmpty()) {
                return out;
            }
            after = p.keys().get(p.keys().size() - 1);
        }
    }

    private void create(String id, String value) {
        client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText(value)));
    }

    private void create(String id, String description, Map<String, String> tags) {
        client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText("v-" + id)).withDescription(description)
                .withTags(tags));
    }

    // ================================================================ batch reads

    @Test
    void batchReadOf20Ids_with3Missing_gives17ValuesAnd3ErrorsNamingThem_withOneListing() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "prod/app/s" + String.format("%02d", i);
            ids.add(id);
            if (i % 7 != 3) {
                create(id, "value-" + i);
            }
        }
        create("prod/other", "not asked for");
        client.getSecretValue("prod/other"); // the once-per-process reads (store identity, keyring), not counted below
        store.resetCounts();

        BatchGetResult r = client.getSecretValues(ids);

        assertThat(r.values()).hasSize(17);
        for (SecretVersion v : r.values()) {
            int i = Integer.parseInt(v.secretId().value().substring("prod/app/s".length()));
            assertThat(v.text()).isEqualTo("value-" + i);
        }
        assertThat(r.errors()).extracting(BatchGetError::secretId).containsExactly("prod/app/s03", "prod/app/s10", "prod/app/s17");
        assertThat(r.errors()).allSatisfy(e -> {
            assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
            assertThat(e.message()).contains(e.secretId());
        });
        // One listing of the common prefix (a second one proves the objects on a store without ETags),
        // not one per ID; one GET per secret found.
        List<String> recordListings = store.listedPrefixes().stream().filter(p -> p.startsWith("secrets/")).toList();
        assertThat(recordListings).containsOnly("secrets/prod/app/s").hasSizeBetween(1, 2);
        assertThat(store.gets.get()).isEqualTo(17);
    }

    @Test
    void batchRead_reportsEachKindOfFailure_withTheAwsErrorCode_andKeepsTheRest() {
        create("a/ok", "fine");
        create("a/deleted", "gone soon");
        client.deleteSecret("a/deleted");
        client.createSecret(CreateSecretRequest.of("a/empty", SecretKind.GENERIC, null));

        BatchGetResult r = client.getSecretValues(List.of("a/ok", "a/deleted", "a/empty", "bad//id", "a/ok"));

        assertThat(r.values()).extracting(SecretVersion::text).containsExactly("fine");
        assertThat(r.error("a/deleted").orElseThrow().errorCode()).isEqualTo("InvalidRequestException");
        assertThat(r.error("a/empty").orElseThrow().errorCode()).isEqualTo("ResourceNotFoundException");
        assertThat(r.error("bad//id").orElseThrow().errorCode()).isEqualTo("InvalidParameterException");
    }

    @Test
    void batchReadByFilter_pagesThroughTheListedSecrets() {
        for (int i = 0; i < 5; i++) {
            create("team/s" + i, "t" + i, Map.of("env", i % 2 == 0 ? "prod" : "dev"));
        }
        ListSecretsRequest req = ListSecretsRequest.all().withFilter(ListFilter.of(ListFilter.Key.TAG_VALUE, "prod")).withPageSize(2);
        BatchGetResult first = client.getSecretValues(req);
        assertThat(first.values()).extracting(v -> v.secretId().value()).containsExactly("team/s0", "team/s2");
        BatchGetResult second = client.getSecretValues(req.withNextToken(first.nextToken()));
        assertThat(second.values()).extracting(SecretVersion::text).containsExactly("v-team/s4");
        assertThat(second.nextToken()).isNull();
    }

    // ================================================================ list filters

    private List<String> list(ListSecretsRequest req) {
        List<String> ids = new ArrayList<>();
        ListSecretsRequest r = req;
        while (true) {
            var p = client.listSecrets(r);
            p.items().forEach(d -> ids.add(d.id().value()));
            if (p.nextToken() == null) {
                return ids;
            }
            r = r.withNextToken(p.nextToken());
        }
    }

    private List<String> filtered(ListFilter... filters) {
        ListSecretsRequest req = ListSecretsRequest.all().withPageSize(2);
        for (ListFilter f : filters) {
            req = req.withFilter(f);
        }
        return list(req);
    }

    /** A store in which every filter (and its negation) changes what is listed. */
    private void seedForFilters() {
        create("prod/db", "Primary Database credentials", Map.of("team", "payments", "env", "production"));
        clock.advance(Duration.ofMinutes(1));
        create("prod/api-key", "Stripe API key", Map.of("team", "checkout", "env", "production"));
        clock.advance(Duration.ofMinutes(1));
        create("dev/db", "scratch database", Map.of("env", "development"));
        clock.advance(Duration.ofMinutes(1));
        create("Prod/legacy", "", Map.of("owner", "ops"));
    }

    @Test
    void everyListFilter_andItsNegation_changesTheResult_asAwsListSecretsDefinesThem() {
        seedForFilters();
        assertThat(filtered()).containsExactly("Prod/legacy", "dev/db", "prod/api-key", "prod/db");
        // name: prefix, case-sensitive
        assertThat(filtered(ListFilter.of(ListFilter.Key.NAME, "prod/"))).containsExactly("prod/api-key", "prod/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.NAME, "!prod/"))).containsExactly("Prod/legacy", "dev/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.NAME, "prod/", "dev/"))).containsExactly("dev/db", "prod/api-key", "prod/db");
        // description: prefix, not case-sensitive
        assertThat(filtered(ListFilter.of(ListFilter.Key.DESCRIPTION, "primary"))).containsExactly("prod/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.DESCRIPTION, "database"))).isEmpty(); // prefix, not substring
        assertThat(filtered(ListFilter.of(ListFilter.Key.DESCRIPTION, "!s"))).containsExactly("Prod/legacy", "prod/db");
        // tag-key: prefix, case-sensitive
        assertThat(filtered(ListFilter.of(ListFilter.Key.TAG_KEY, "tea"))).containsExactly("prod/api-key", "prod/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.TAG_KEY, "!team"))).containsExactly("Prod/legacy", "dev/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.TAG_KEY, "Team"))).isEmpty();
        // tag-value: prefix, case-sensitive
        assertThat(filtered(ListFilter.of(ListFilter.Key.TAG_VALUE, "prod"))).containsExactly("prod/api-key", "prod/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.TAG_VALUE, "!prod"))).containsExactly("Prod/legacy", "dev/db");
        // all: words of the value, in the ID, description, tag keys and values, not case-sensitive
        assertThat(filtered(ListFilter.of(ListFilter.Key.ALL, "STRIPE"))).containsExactly("prod/api-key");
        assertThat(filtered(ListFilter.of(ListFilter.Key.ALL, "opsDatabase"))).containsExactly("Prod/legacy", "dev/db", "prod/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.ALL, "!prod"))).containsExactly("dev/db");
        // filters together: all must match; plain and negated values in one filter
        assertThat(filtered(ListFilter.of(ListFilter.Key.NAME, "prod/"), ListFilter.of(ListFilter.Key.TAG_VALUE, "pay")))
                .containsExactly("prod/db");
        assertThat(filtered(ListFilter.of(ListFilter.Key.TAG_VALUE, "prod", "dev", "!payments"))).containsExactly("dev/db", "prod/api-key");
    }

    @Test
    void listings_sortByNameOrDate_ascendingOrDescending_acrossPages() {
        seedForFilters();
        ListSecretsRequest all = ListSecretsRequest.all().withPageSize(3);
        assertThat(list(all.sortedBy(ListSort.descending(ListSort.By.NAME)))).containsExactly("prod/db", "prod/api-key", "dev/db", "Prod/legacy");
        assertThat(list(all.sortedBy(ListSort.ascending(ListSort.By.CREATED_DATE)))).containsExactly("prod/db", "prod/api-key", "dev/db", "Prod/legacy");
        assertThat(list(all.sortedBy(ListSort.descending(ListSort.By.CREATED_DATE)))).containsExactly("Prod/legacy", "dev/db", "prod/api-key", "prod/db");
        clock.advance(Duration.ofMinutes(1));
        client.updateDescription("prod/db", "Primary database, rotated");
        assertThat(list(all.sortedBy(ListSort.descending(ListSort.By.LAST_CHANGED_DATE))).get(0)).isEqualTo("prod/db");
        assertThatThrownBy(() -> client.listSecrets(all.sortedBy(ListSort.ascending(ListSort.By.NAME)).withNextToken("prod/db")))
                .isInstanceOf(InvalidSecretException.class);
    }

    @Test
    void badFilters_areRefusedWithAClearError() {
        assertThatThrownBy(() -> ListFilter.parse("owner=x")).isInstanceOf(InvalidSecretException.class).hasMessageContaining("unknown filter key 'owner'");
        assertThatThrownBy(() -> ListFilter.of(ListFilter.Key.NAME, "a$b")).isInstanceOf(InvalidSecretException.class).hasMessageContaining("a$b");
        assertThatThrownBy(() -> new ListFilter(ListFilter.Key.NAME, List.of())).isInstanceOf(InvalidSecretException.class);
        assertThatThrownBy(() -> new ListFilter(ListFilter.Key.NAME, IntStream.range(0, 11).mapToObj(i -> "x").toList()))
                .isInstanceOf(InvalidSecretException.class);
        assertThat(ListFilter.parse("tag-key=!team,env")).isEqualTo(ListFilter.of(ListFilter.Key.TAG_KEY, "!team", "env"));
    }

    // ================================================================ check-and-set

    @Test
    void checkAndSetPut_losingTheRace_getsTheConflictError_andWritesNothing() throws Exception {
        create("cas/one", "v1");
        String v1 = client.getSecretValue("cas/one").versionId();
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                SecretsClient other = client(null);
                String value = "from-" + i;
                Callable<String> put = () -> {
                    start.await();
                    try {
                        return other.putSecretValue(PutSecretValueRequest.of("cas/one", SecretValue.ofText(value)).ifCurrentIs(v1));
                    } catch (ConflictException e) {
                        assertThat(e.getMessage()).contains("cas/one").contains(v1).doesNotContain(value);
                        return null;
                    }
                };
                results.add(pool.submit(put));
            }
            start.countDown();
            List<String> won = new ArrayList<>();
            for (Future<String> f : results) {
                String v = f.get();
                if (v != null) {
                    won.add(v);
                }
            }
            assertThat(won).hasSize(1);
            assertThat(client.describeSecret("cas/one").versions()).hasSize(2);
            assertThat(client.getSecretValue("cas/one").versionId()).isEqualTo(won.get(0));
        } finally {
            pool.shutdownNow();
        }
        String now = client.getSecretValue("cas/one").versionId();
        String next = client.putSecretValue(PutSecretValueRequest.of("cas/one", SecretValue.ofText("next")).ifCurrentIs(now));
        assertThat(client.getSecretValue("cas/one").versionId()).isEqualTo(next);
    }

    // ================================================================ destroy

    private static String field(JsonNode version, String name) {
        return version.get(name).asText();
    }

    /** The stored version entry of {@code versionId}, parsed from the one record object of {@code id}. */
    private JsonNode storedVersion(String id, String versionId) {
        String prefix = "secrets/" + id + "/~";
        List<String> keys = raw.list(prefix, null, 100).keys();
        assertThat(keys).hasSize(1);
        String text = new String(raw.get(keys.get(0)).orElseThrow(), StandardCharsets.UTF_8);
        String record = text.substring(text.lastIndexOf('\n', text.length() - 2) + 1);
        try {
            for (JsonNode v : JSON.readTree(record).get("versions")) {
                if (v.get("id").asText().equals(versionId)) {
                    return v;
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no version " + versionId);
    }

    private long objectsContaining(String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        return storedBytes().stream().filter(b -> indexOf(b, n) >= 0).count();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void destroyingAVersion_removesItsCiphertextFromTheStore_readingItIsAClearError_andTheOthersAreIntact() {
        create("leaky/token", "first");
        String first = client.getSecretValue("leaky/token").versionId();
        String leaked = client.putSecretValue("leaky/token", SecretValue.ofText("leaked-value"));
        String third = client.putSecretValue("leaky/token", SecretValue.ofText("third"));
        client.putSecretValue("leaky/token", SecretValue.ofText("fourth"));
        JsonNode before = storedVersion("leaky/token", leaked);
        String ciphertext = field(before, "ciphertext");
        String wrappedKey = field(before, "wrappedKey");
        assertThat(objectsContaining(ciphertext)).isPositive();
        assertThat(objectsContaining(wrappedKey)).isPositive();

        client.destroySecretVersion("leaky/token", leaked);

        assertThat(objectsContaining(ciphertext)).isZero();
        assertThat(objectsContaining(wrappedKey)).isZero();
        assertThat(storedVersion("leaky/token", leaked).has("ciphertext")).isFalse();
        for (SecretsClient reader : List.of(client, client(null))) {
            assertThatThrownBy(() -> reader.getSecretValue(GetSecretValueRequest.of("leaky/token").withVersionId(leaked)))
                    .isInstanceOf(VersionDestroyedException.class)
                    .hasMessageContaining(leaked).hasMessageContaining("destroyed").hasMessageNotContaining("leaked-value");
            assertThat(reader.getSecretValue(GetSecretValueRequest.of("leaky/token").withVersionId(first)).text()).isEqualTo("first");
            assertThat(reader.getSecretValue(GetSecretValueRequest.of("leaky/token").withLabel(Label.PREVIOUS)).text()).isEqualTo("third");
            assertThat(reader.getSecretValue("leaky/token").text()).isEqualTo("fourth");
        }
        VersionDescription d = client.describeSecret("leaky/token").versions().stream()
                .filter(v -> v.versionId().equals(leaked)).findFirst().orElseThrow();
        assertThat(d.isDestroyed()).isTrue();
        assertThat(d.destroyed()).isEqualTo(clock.instant());
        assertThat(d.labels()).isEmpty();
        // Idempotent; the version cannot get a label back, and CURRENT cannot be destroyed.
        client.destroySecretVersion("leaky/token", leaked);
        assertThatThrownBy(() -> client.moveLabel("leaky/token", Label.of("KEEP"), leaked)).isInstanceOf(VersionDestroyedException.class);
        String current = client.getSecretValue("leaky/token").versionId();
        assertThatThrownBy(() -> client.destroySecretVersion("leaky/token", current))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("CURRENT");
        // Later writes and a re-wrap carry the destroyed version along without a value.
        client.rotateMasterKey("default");
        client.rewrap("default", null);
        client.putSecretValue("leaky/token", SecretValue.ofText("fifth"));
        assertThat(client.getSecretValue("leaky/token").text()).isEqualTo("fifth");
        assertThat(objectsContaining(ciphertext)).isZero();
    }

    @Test
    void destroyingAPreviousVersion_takesItsLabel() {
        create("leaky/prev", "one");
        client.putSecretValue("leaky/prev", SecretValue.ofText("two"));
        String previous = client.describeSecret("leaky/prev").versionWith(Label.PREVIOUS).orElseThrow().versionId();
        client.destroySecretVersion("leaky/prev", previous);
        assertThat(client.describeSecret("leaky/prev").versionWith(Label.PREVIOUS)).isEmpty();
        assertThat(client.getSecretValue("leaky/prev").text()).isEqualTo("two");
    }

    // ================================================================ version limit

    @Test
    void theVersionLimit_isConfigurable_andTheOldestUnlabelledVersionsGoFirst() {
        SecretsClient five = client(5);
        five.createSecret(CreateSecretRequest.of("many/versions", SecretKind.GENERIC, SecretValue.ofText("v0")));
        String first = five.getSecretValue("many/versions").versionId();
        five.moveLabel("many/versions", Label.of("KEEP"), first);
        for (int i = 1; i <= 9; i++) {
            five.putSecretValue("many/versions", SecretValue.ofText("v" + i));
        }
        List<VersionDescription> versions = five.describeSecret("many/versions").versions();
        assertThat(versions).hasSize(5);
        assertThat(versions).extracting(VersionDescription::versionId).contains(first);
        assertThat(five.getSecretValue("many/versions").text()).isEqualTo("v9");
    }

    @Test
    void aVersionLimitOutside2To100_isRefusedBeforeAnythingIsOpened() {
        assertThatThrownBy(() -> client(1)).isInstanceOf(ConfigurationException.class).hasMessageContaining("secrets.versions.max");
        assertThatThrownBy(() -> client(101)).isInstanceOf(ConfigurationException.class).hasMessageContaining("2 to 100");
    }
}
