package dev.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.Page;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretScheduledForDeletionException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.ValueType;
import dev.secrets.VersionDescription;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The client contract: what a {@link SecretsClient} promises (contracts §2–§4: IDs, kinds and
 * values, versions and labels, lifecycle, describe and list; master-key rotation and re-wrap), written
 * once (in the spirit of Vault's {@code ExerciseBackend}) and run through the public API on each
 * backend, because every one of these paths reads, lists or writes the store and a backend that
 * keeps the letter of {@link ObjectStoreContract} could still break them (listing order, paging,
 * races between generations, ETags). The SPI's own promises are {@link ObjectStoreContract}'s;
 * batch reads, list filters, check-and-set and destroyed versions are {@link ReadsAndVersionsSuite}'s.
 *
 * <p>A backend's test extends this class and implements {@link #newStore()}. Time is a
 * {@link MutableClock}; nothing sleeps.
 */
public abstract class ClientContract {
    /** A value that must never show up in any message, {@code toString()} or log. */
    protected static final String CANARY = Canary.VALUE;
    protected static final byte[] KEY = bytes(1);
    protected static final byte[] OTHER_KEY = bytes(2);

    protected MutableClock clock;
    protected InstrumentedObjectStore store;
    protected SecretsClient client;
    private ObjectStore raw;
    private final List<SecretsClient> clients = new ArrayList<>();

    /** A fresh, empty store; called once per test. It is closed after the test. */
    protected abstract ObjectStore newStore();

    @BeforeEach
    void openStore() {
        clock = MutableClock.atFixedStart();
        raw = newStore();
        store = new InstrumentedObjectStore(raw);
        client = client(KEY);
    }

    @AfterEach
    void closeStore() {
        clients.forEach(SecretsClient::close);
        raw.close();
    }

    /** Another client of the same store, holding {@code defaultKey} as master key {@code default}. */
    protected SecretsClient client(byte[] defaultKey) {
        return track(SecretsClient.builder().config(IsolatedConfig.get()).store(store).masterKey("default", defaultKey).clock(clock)
                .cacheTtl(Duration.ZERO).build());
    }

    protected SecretsClient track(SecretsClient c) {
        clients.add(c);
        return c;
    }

    protected static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        b[0] = (byte) 0x5a;
        return b;
    }

    protected static SecretValue text(String s) {
        return SecretValue.ofText(s);
    }

    protected static SecretValue db(String user, String password) {
        return SecretValue.ofFields(Map.of("username", user, "password", password, "engine", "postgres", "host", "db.internal",
                "port", 5432, "dbname", "app"));
    }

    protected SecretDescription create(String id, String value) {
        return client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, text(value)));
    }

    protected String currentText(String id) {
        return client.getSecretValue(id).text();
    }

    protected Map<String, Set<Label>> labelsByVersion(String id) {
        Map<String, Set<Label>> m = new LinkedHashMap<>();
        for (VersionDescription v : client.describeSecret(id).versions()) {
            m.put(v.versionId(), v.labels());
        }
        return m;
    }

    protected List<String> listAll(ListSecretsRequest req) {
        List<String> ids = new ArrayList<>();
        ListSecretsRequest r = req;
        while (true) {
            Page<SecretDescription> p = client.listSecrets(r);
            p.items().forEach(d -> ids.add(d.id().value()));
            if (p.nextToken() == null) {
                return ids;
            }
            r = r.withNextToken(p.nextToken());
        }
    }

    // ================================================================ §2 IDs

    @Nested
    class Ids {
        @Test
        void createThenGet_returnsTheValueLabelledCurrent() {
            SecretDescription d = create("prod/app/api-key", "s3cr3t");

            SecretVersion v = client.getSecretValue("prod/app/api-key");

            assertThat(v.text()).isEqualTo("s3cr3t");
            assertThat(v.labels()).containsExactly(Label.CURRENT);
            assertThat(v.secretId().value()).isEqualTo("prod/app/api-key");
            assertThat(d.versions()).singleElement().satisfies(x -> assertThat(x.versionId()).isEqualTo(v.versionId()));
        }

        @Test
        void idWithEveryAllowedCharacter_roundTrips() {
            String id = "AZaz09/_+=.@-/x.y/..z/a..";
            create(id, "v");

            assertThat(currentText(id)).isEqualTo("v");
            assertThat(listAll(ListSecretsRequest.all())).containsExactly(id);
        }

        @Test
        void idOf512Characters_roundTripsAndLists() {
            String id = "a".repeat(250) + "/" + "b".repeat(261);
            assertThat(id).hasSize(512);
            create(id, "long");
            create("a", "short");

            assertThat(currentText(id)).isEqualTo("long");
            assertThat(listAll(ListSecretsRequest.all())).containsExactlyInAnyOrder(id, "a");
            assertThat(listAll(ListSecretsRequest.all().withPrefix("a".repeat(240)))).containsExactly(id);
        }

        @Test
        void idsNestedUnderOrBesideEachOther_areDistinctSecrets() {
            for (String id : List.of("a", "a/b", "a-b", "a/b/c", "ab", "a.b", ".tmp-x", "a/.tmp-y")) {
                create(id, "value of " + id);
            }
            for (String id : List.of("a", "a/b", "a-b", "a/b/c", "ab", "a.b", ".tmp-x", "a/.tmp-y")) {
                assertThat(currentText(id)).isEqualTo("value of " + id);
            }
            assertThat(listAll(ListSecretsRequest.all())).containsExactlyInAnyOrder("a", "a/b", "a-b", "a/b/c", "ab", "a.b",
                    ".tmp-x", "a/.tmp-y");
            assertThat(listAll(ListSecretsRequest.all().withPrefix("a/"))).containsExactlyInAnyOrder("a/b", "a/b/c", "a/.tmp-y");
        }

        @Test
        void everyInvalidId_isRefusedWithAClearError_andNothingIsWritten() {
            String tooLong = "x".repeat(513);
            Map<String, String> invalid = new LinkedHashMap<>();
            invalid.put("", "empty");
            invalid.put(tooLong, "513");
            invalid.put("/lead", "'/'");
            invalid.put("trail/", "'/'");
            invalid.put("a//b", "empty segment");
            invalid.put("a/./b", "'.'");
            invalid.put("a/../b", "'..'");
            invalid.put(".", "'.'");
            invalid.put("..", "'..'");
            invalid.put("with space", "space");
            invalid.put("tab\there", "U+0009");
            invalid.put("new\nline", "U+000A");
            invalid.put("tilde~", "'~'");
            invalid.put("star*", "'*'");
            invalid.put("colon:x", "':'");
            invalid.put("back\\slash", "'\\'");
            invalid.put("caret^", "'^'");
            invalid.put("umlaut-ü", "'ü'");
            invalid.put("percent%2F", "'%'");
            for (Map.Entry<String, String> e : invalid.entrySet()) {
                Throwable t = catchThrowable(() -> client.createSecret(CreateSecretRequest.of(e.getKey(), SecretKind.GENERIC,
                        text(CANARY))));
                assertThat(t).as("id %s", e.getKey()).isInstanceOf(InvalidSecretException.class)
                        .hasMessageContaining("secret ID").hasMessageContaining(e.getValue());
                assertThat(t.getMessage()).doesNotContain(CANARY);
                assertThatThrownBy(() -> client.putSecretValue(e.getKey(), text(CANARY))).isInstanceOf(InvalidSecretException.class);
                assertThatThrownBy(() -> client.getSecretValue(e.getKey())).isInstanceOf(InvalidSecretException.class);
            }
            assertThat(store.puts.get()).as("objects written").isZero();
            assertThat(store.delegate().list("", null, 10).keys()).isEmpty();
        }
    }

    // ================================================================ §2 kinds and values

    @Nested
    class Kinds {
        @Test
        void everyDatabaseKind_holdsUsernamePasswordAndTheAwsFields() {
            for (SecretKind kind : List.of(SecretKind.RDS, SecretKind.DOCUMENTDB, SecretKind.REDSHIFT, SecretKind.DATABASE)) {
                String id = "db/" + kind.id();
                client.createSecret(CreateSecretRequest.of(id, kind, db("app", "pw-" + kind.id())));

                SecretVersion v = client.getSecretValue(id);

                assertThat(v.field("username")).isEqualTo("app");
                assertThat(v.field("password")).isEqualTo("pw-" + kind.id());
                assertThat(v.field("port")).isEqualTo("5432");
                assertThat(v.value().fields()).containsKeys("engine", "host", "dbname");
                assertThat(client.describeSecret(id).kind()).isEqualTo(kind);
            }
        }

        @Test
        void aValueThatDoesNotFitItsKind_isRefusedNamingTheField_neverEchoingTheValue() {
            Map<SecretValue, String> bad = new LinkedHashMap<>();
            bad.put(SecretValue.ofFields(Map.of("password", CANARY)), "username");
            bad.put(SecretValue.ofFields(Map.of("username", "app")), "password");
            bad.put(SecretValue.ofFields(Map.of("username", "app", "password", "")), "password");
            bad.put(SecretValue.ofFields(Map.of("username", 42, "password", CANARY)), "username");
            bad.put(SecretValue.ofFields(Map.of("username", "app", "password", CANARY, "port", 70000)), "port");
            bad.put(SecretValue.ofFields(Map.of("username", "app", "password", CANARY, "port", CANARY)), "port");
            bad.put(SecretValue.ofFields(Map.of("username", "app", "password", CANARY, "host", 1)), "host");
            bad.put(text("{\"username\":\"app\",\"password\":\"" + CANARY + "\"}"), "text");
            bad.put(SecretValue.ofBytes(CANARY.getBytes(StandardCharsets.UTF_8)), "bytes");
            for (SecretKind kind : List.of(SecretKind.RDS, SecretKind.DATABASE)) {
                for (Map.Entry<SecretValue, String> e : bad.entrySet()) {
                    Throwable t = catchThrowable(() -> client.createSecret(CreateSecretRequest.of("db/x", kind, e.getKey())));
                    assertThat(t).as("%s %s", kind, e.getValue()).isInstanceOf(InvalidSecretException.class)
                            .hasMessageContaining(e.getValue());
                    assertThat(t.getMessage()).doesNotContain(CANARY);
                    assertThat(t.toString()).doesNotContain(CANARY);
                }
            }
            assertThat(store.puts.get()).isZero();
        }

        @Test
        void putOfAValueThatDoesNotFitTheKind_isRefused_andWritesNothing() {
            client.createSecret(CreateSecretRequest.of("db/app", SecretKind.RDS, db("app", "pw1")));
            store.resetCounts();

            assertThatThrownBy(() -> client.putSecretValue("db/app", text(CANARY))).isInstanceOf(InvalidSecretException.class)
                    .hasMessageNotContaining(CANARY);
            assertThatThrownBy(() -> client.putSecretValue("db/app", SecretValue.ofFields(Map.of("username", "x"))))
                    .isInstanceOf(InvalidSecretException.class).hasMessageContaining("password");

            assertThat(store.writes()).isZero();
            assertThat(client.describeSecret("db/app").versions()).hasSize(1);
        }

        @Test
        void genericSecrets_holdKeyValueTextOrBytes() {
            client.createSecret(CreateSecretRequest.of("g/kv", SecretKind.GENERIC, SecretValue.ofJson("{\"a\":\"1\",\"b\":2,\"c\":true}")));
            String nested = "{\"deep\":{\"x\":[1,2,{\"y\":null}]}}";
            client.createSecret(CreateSecretRequest.of("g/text", SecretKind.GENERIC, text(nested)));
            byte[] bin = new byte[256];
            for (int i = 0; i < bin.length; i++) {
                bin[i] = (byte) i;
            }
            client.createSecret(CreateSecretRequest.of("g/bin", SecretKind.GENERIC, SecretValue.ofBytes(bin)));

            SecretValue kv = client.getSecretValue("g/kv").value();
            assertThat(kv.type()).isEqualTo(ValueType.KEY_VALUE);
            assertThat(kv.fields()).containsEntry("a", "1").containsEntry("b", "2").containsEntry("c", "true");
            assertThat(client.getSecretValue("g/text").value().type()).isEqualTo(ValueType.TEXT);
            assertThat(client.getSecretValue("g/text").text()).isEqualTo(nested);
            assertThat(client.getSecretValue("g/bin").value().type()).isEqualTo(ValueType.BINARY);
            assertThat(client.getSecretValue("g/bin").value().bytes()).isEqualTo(bin);
        }

        @Test
        void aValueOf64KiB_isStored_andOneByteMoreIsRefusedBeforeAnyWrite() {
            byte[] max = new byte[64 * 1024];
            Arrays.fill(max, (byte) 'x');
            client.createSecret(CreateSecretRequest.of("big", SecretKind.GENERIC, SecretValue.ofBytes(max)));
            assertThat(client.getSecretValue("big").value().bytes()).isEqualTo(max);

            assertThatThrownBy(() -> SecretValue.ofBytes(new byte[64 * 1024 + 1])).isInstanceOf(InvalidSecretException.class)
                    .hasMessageContaining("65537 bytes").hasMessageContaining("64 KiB");
            assertThatThrownBy(() -> SecretValue.ofText("y".repeat(64 * 1024 + 1))).isInstanceOf(InvalidSecretException.class);
        }

        @Test
        void descriptionAndTags_areLimited() {
            assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("t", SecretKind.GENERIC, text("v"))
                    .withDescription("d".repeat(2049)))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("description");
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < 51; i++) {
                tags.put("k" + i, "v");
            }
            assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("t", SecretKind.GENERIC, text("v")).withTags(tags)))
                    .isInstanceOf(InvalidSecretException.class).hasMessageContaining("50 tags");
            assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("t", SecretKind.GENERIC, text("v"))
                    .withTag("a=b", "c"))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("tag key");
            assertThat(store.puts.get()).isZero();

            tags.remove("k50");
            client.createSecret(CreateSecretRequest.of("t", SecretKind.GENERIC, text("v")).withTags(tags)
                    .withDescription("d".repeat(2048)));
            assertThat(client.describeSecret("t").tags()).hasSize(50);
            assertThatThrownBy(() -> client.tagSecret("t", Map.of("one-more", "x"))).isInstanceOf(InvalidSecretException.class);
        }
    }

    // ================================================================ §3 versions and labels

    @Nested
    class Versions {
        @Test
        void putWithoutLabels_movesCurrentToTheNewVersion_andTheOldCurrentBecomesPrevious() {
            String v1 = create("s", "one").versions().get(0).versionId();
            String v2 = client.putSecretValue("s", text("two"));
            String v3 = client.putSecretValue("s", text("three"));

            assertThat(labelsByVersion("s")).containsExactly(
                    Map.entry(v3, Set.of(Label.CURRENT)), Map.entry(v2, Set.of(Label.PREVIOUS)), Map.entry(v1, Set.of()));
            assertThat(currentText("s")).isEqualTo("three");
            assertThat(client.getSecretValue(GetSecretValueRequest.of("s").withLabel(Label.PREVIOUS)).text()).isEqualTo("two");
            assertThat(client.getSecretValue(GetSecretValueRequest.of("s").withVersionId(v1)).text()).isEqualTo("one");
            assertThat(client.getSecretValue(GetSecretValueRequest.of("s").withVersionId(v1)).labels()).isEmpty();
        }

        @Test
        void versionIds_areUuidsUnlessATokenIsGiven() {
            String v1 = create("s", "one").versions().get(0).versionId();
            String v2 = client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withToken("deploy-42"));

            assertThat(java.util.UUID.fromString(v1).toString()).isEqualTo(v1);
            assertThat(v2).isEqualTo("deploy-42");
        }

        @Test
        void putWithSameToken_andSameValue_isTheSameVersion_andWritesNothing() {
            create("s", "one");
            String v = client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withToken("tok-1"));
            store.resetCounts();

            String again = client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withToken("tok-1"));

            assertThat(again).isEqualTo(v);
            assertThat(store.writes()).isZero();
            assertThat(client.describeSecret("s").versions()).hasSize(2);
        }

        @Test
        void putWithSameToken_andAnotherValue_isAnError() {
            create("s", "one");
            client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withToken("tok-1"));

            assertThatThrownBy(() -> client.putSecretValue(PutSecretValueRequest.of("s", text(CANARY)).withToken("tok-1")))
                    .isInstanceOf(InvalidSecretException.class).hasMessageContaining("tok-1").hasMessageNotContaining(CANARY);
            assertThat(currentText("s")).isEqualTo("two");
            assertThat(client.describeSecret("s").versions()).hasSize(2);
        }

        @Test
        void createWithSameToken_isIdempotent_andWithAnotherValueFails() {
            CreateSecretRequest req = CreateSecretRequest.of("s", SecretKind.GENERIC, text("one")).withToken("create-1");
            client.createSecret(req);
            store.resetCounts();

            SecretDescription again = client.createSecret(req);

            assertThat(again.versions()).singleElement().satisfies(v -> assertThat(v.versionId()).isEqualTo("create-1"));
            assertThat(store.writes()).isZero();
            assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, text("other"))
                    .withToken("create-1"))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("already exists");
            assertThatThrownBy(() -> create("s", "one")).isInstanceOf(InvalidSecretException.class)
                    .hasMessageContaining("already exists");
        }

        @Test
        void invalidTokens_areRefused() {
            create("s", "one");
            for (String token : List.of("", "with space", "x".repeat(65), "slash/x", "ü")) {
                assertThatThrownBy(() -> client.putSecretValue(PutSecretValueRequest.of("s", text("v")).withToken(token)))
                        .isInstanceOf(InvalidSecretException.class).hasMessageContaining("token");
            }
        }

        @Test
        void putWithExplicitLabels_movesOnlyThoseLabels() {
            String v1 = create("s", "one").versions().get(0).versionId();
            String v2 = client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withLabels(Label.PENDING));

            assertThat(labelsByVersion("s")).containsEntry(v1, Set.of(Label.CURRENT)).containsEntry(v2, Set.of(Label.PENDING));
            assertThat(currentText("s")).isEqualTo("one");
            assertThat(client.getSecretValue(GetSecretValueRequest.of("s").withLabel(Label.PENDING)).text()).isEqualTo("two");

            String v3 = client.putSecretValue(PutSecretValueRequest.of("s", text("three")).withLabels(Label.PENDING, Label.of("blue")));
            assertThat(labelsByVersion("s")).containsEntry(v1, Set.of(Label.CURRENT)).containsEntry(v2, Set.of())
                    .containsEntry(v3, Set.of(Label.PENDING, Label.of("blue")));
        }

        @Test
        void movingCurrent_givesPreviousToTheOldHolder_inOneStep() {
            String v1 = create("s", "one").versions().get(0).versionId();
            String v2 = client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withLabels(Label.PENDING));
            long before = store.puts.get();

            client.moveLabel("s", Label.CURRENT, v2);

            assertThat(store.puts.get() - before).as("one record written").isEqualTo(1);
            assertThat(labelsByVersion("s")).containsEntry(v2, Set.of(Label.CURRENT, Label.PENDING))
                    .containsEntry(v1, Set.of(Label.PREVIOUS));
            assertThat(currentText("s")).isEqualTo("two");

            client.moveLabel("s", Label.CURRENT, v1);
            assertThat(labelsByVersion("s")).containsEntry(v1, Set.of(Label.CURRENT)).containsEntry(v2, Set.of(Label.PREVIOUS,
                    Label.PENDING));
        }

        @Test
        void aLabel_isOnAtMostOneVersion() {
            String v1 = create("s", "one").versions().get(0).versionId();
            String v2 = client.putSecretValue("s", text("two"));
            Label blue = Label.of("blue");
            client.moveLabel("s", blue, v1);
            client.moveLabel("s", blue, v2);

            assertThat(labelsByVersion("s").values().stream().filter(ls -> ls.contains(blue)).count()).isEqualTo(1);
            assertThat(labelsByVersion("s").get(v2)).contains(blue);
            assertThat(client.getSecretValue(GetSecretValueRequest.of("s").withLabel(blue)).text()).isEqualTo("two");

            client.removeLabel("s", blue);
            assertThatThrownBy(() -> client.getSecretValue(GetSecretValueRequest.of("s").withLabel(blue)))
                    .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("blue");
            assertThatThrownBy(() -> client.removeLabel("s", Label.CURRENT)).isInstanceOf(InvalidSecretException.class);
        }

        @Test
        void moveLabel_withAWrongExpectedVersion_isAConflict_andChangesNothing() {
            String v1 = create("s", "one").versions().get(0).versionId();
            String v2 = client.putSecretValue("s", text("two"));
            String v3 = client.putSecretValue(PutSecretValueRequest.of("s", text("three")).withLabels(Label.PENDING));
            Map<String, Set<Label>> before = labelsByVersion("s");

            assertThatThrownBy(() -> client.moveLabel("s", Label.CURRENT, v3, v1)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> client.moveLabel("s", Label.CURRENT, "no-such-version"))
                    .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("no-such-version");
            assertThat(labelsByVersion("s")).isEqualTo(before);

            client.moveLabel("s", Label.CURRENT, v3, v2);
            assertThat(currentText("s")).isEqualTo("three");
        }

        @Test
        void customLabels_are1To256Characters() {
            create("s", "one");
            String v = client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withLabels(Label.of("x".repeat(256))));
            assertThat(labelsByVersion("s").get(v)).containsExactly(Label.of("x".repeat(256)));
            assertThatThrownBy(() -> Label.of("x".repeat(257))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("256");
            assertThatThrownBy(() -> Label.of("")).isInstanceOf(InvalidSecretException.class);
        }

        @Test
        void aVersion_carriesAtMost20Labels() {
            create("s", "one");
            List<Label> twenty = new ArrayList<>();
            twenty.add(Label.CURRENT);
            for (int i = 1; i < 20; i++) {
                twenty.add(Label.of("l" + i));
            }
            String v = client.putSecretValue(PutSecretValueRequest.of("s", text("two")).withLabels(twenty));
            assertThat(labelsByVersion("s").get(v)).hasSize(20);

            List<Label> twentyOne = new ArrayList<>(twenty);
            twentyOne.set(0, Label.PENDING);
            twentyOne.add(Label.of("l20"));
            assertThatThrownBy(() -> client.putSecretValue(PutSecretValueRequest.of("s", text("three")).withLabels(twentyOne)))
                    .isInstanceOf(InvalidSecretException.class).hasMessageContaining("20");
            assertThatThrownBy(() -> client.moveLabel("s", Label.of("l20"), v)).isInstanceOf(InvalidSecretException.class)
                    .hasMessageContaining("20 labels");
            assertThat(labelsByVersion("s").get(v)).hasSize(20);
        }

        @Test
        void aSecretKeeps100Versions_droppingTheOldestUnlabelledFirst() {
            String first = create("s", "v0").versions().get(0).versionId();
            String second = client.putSecretValue("s", text("v1"));
            client.moveLabel("s", Label.of("keep"), first);
            List<String> ids = new ArrayList<>();
            for (int i = 2; i <= 104; i++) {
                ids.add(client.putSecretValue("s", text("v" + i)));
            }

            List<VersionDescription> versions = client.describeSecret("s").versions();

            assertThat(versions).hasSize(100);
            Set<String> kept = versions.stream().map(VersionDescription::versionId).collect(Collectors.toSet());
            assertThat(kept).contains(first).doesNotContain(second);
            assertThat(kept).containsAll(ids.subList(ids.size() - 99, ids.size()));
            assertThat(versions.get(0).versionId()).isEqualTo(ids.get(ids.size() - 1));
            assertThat(versions.get(0).labels()).containsExactly(Label.CURRENT);
            assertThat(client.getSecretValue(GetSecretValueRequest.of("s").withVersionId(first)).text()).isEqualTo("v0");
            assertThatThrownBy(() -> client.getSecretValue(GetSecretValueRequest.of("s").withVersionId(second)))
                    .isInstanceOf(SecretNotFoundException.class);
        }

        @Test
        void aSecretCreatedWithoutValue_hasNoCurrentUntilTheFirstPut() {
            client.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, null));
            assertThatThrownBy(() -> client.getSecretValue("s")).isInstanceOf(SecretNotFoundException.class)
                    .hasMessageContaining("CURRENT");

            client.putSecretValue("s", text("first"));
            assertThat(currentText("s")).isEqualTo("first");
            assertThat(client.describeSecret("s").versions()).singleElement()
                    .satisfies(v -> assertThat(v.labels()).containsExactly(Label.CURRENT));
        }

        @Test
        void readingWhatDoesNotExist_isNotFound_namingIt() {
            assertThatThrownBy(() -> client.getSecretValue("nope")).isInstanceOf(SecretNotFoundException.class)
                    .hasMessageContaining("nope");
            assertThatThrownBy(() -> client.describeSecret("nope")).isInstanceOf(SecretNotFoundException.class);
            assertThatThrownBy(() -> client.putSecretValue("nope", text("v"))).isInstanceOf(SecretNotFoundException.class);
            create("s", "one");
            assertThatThrownBy(() -> client.getSecretValue(GetSecretValueRequest.of("s").withVersionId("v-x")))
                    .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("v-x");
            assertThatThrownBy(() -> client.getSecretValue(GetSecretValueRequest.of("s").withLabel(Label.PENDING)))
                    .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("PENDING");
        }

        @Test
        void aWriteThroughTheClient_isVisibleToItsNextRead_evenWithACache() {
            SecretsClient cached = track(SecretsClient.builder().config(IsolatedConfig.get()).store(store).masterKey("default", KEY)
                    .clock(clock).cacheTtl(Duration.ofHours(1)).build());
            cached.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, text("one")));
            assertThat(cached.getSecretValue("s").text()).isEqualTo("one");

            cached.putSecretValue("s", text("two"));

            assertThat(cached.getSecretValue("s").text()).isEqualTo("two");
        }
    }

    // ================================================================ §4 lifecycle

    @Nested
    class Lifecycle {
        @Test
        void deleteWithoutWindow_schedulesDeletionIn30Days_andReadsSaySoWithTheDate() {
            create("s", "one");
            Instant now = clock.instant();

            Instant when = client.deleteSecret("s");

            assertThat(when).isEqualTo(now.plus(30, ChronoUnit.DAYS));
            assertThat(client.describeSecret("s").deletionDate()).isEqualTo(when);
            assertThat(client.describeSecret("s").isScheduledForDeletion()).isTrue();
            Throwable t = catchThrowable(() -> client.getSecretValue("s"));
            assertThat(t).isInstanceOf(SecretScheduledForDeletionException.class).hasMessageContaining("scheduled for deletion")
                    .hasMessageContaining(when.toString());
            assertThat(((SecretScheduledForDeletionException) t).deletionDate()).isEqualTo(when);
            assertThatThrownBy(() -> client.putSecretValue("s", text("two"))).isInstanceOf(SecretScheduledForDeletionException.class);
        }

        @Test
        void theRecoveryWindow_is7To30Days() {
            create("a", "1");
            create("b", "2");
            assertThatThrownBy(() -> client.deleteSecret("a", 6)).isInstanceOf(InvalidSecretException.class)
                    .hasMessageContaining("7 to 30");
            assertThatThrownBy(() -> client.deleteSecret("a", 31)).isInstanceOf(InvalidSecretException.class);
            assertThat(client.describeSecret("a").deletionDate()).isNull();

            assertThat(client.deleteSecret("a", 7)).isEqualTo(clock.instant().plus(7, ChronoUnit.DAYS));
            assertThat(client.deleteSecret("b", 30)).isEqualTo(clock.instant().plus(30, ChronoUnit.DAYS));
        }

        @Test
        void restore_cancelsAScheduledDeletion() {
            create("s", "one");
            client.deleteSecret("s", 7);
            clock.advance(Duration.ofDays(6));

            client.restoreSecret("s");

            assertThat(currentText("s")).isEqualTo("one");
            assertThat(client.describeSecret("s").deletionDate()).isNull();
            clock.advance(Duration.ofDays(30));
            assertThat(client.purgeExpired()).isZero();
            assertThat(currentText("s")).isEqualTo("one");
        }

        @Test
        void forceDelete_removesTheSecretAtOnce_andItsIdCanBeUsedAgain() {
            create("s", "one");
            client.putSecretValue("s", text("two"));

            client.forceDeleteSecret("s");

            assertThatThrownBy(() -> client.getSecretValue("s")).isInstanceOf(SecretNotFoundException.class);
            assertThatThrownBy(() -> client.describeSecret("s")).isInstanceOf(SecretNotFoundException.class);
            assertThat(listAll(ListSecretsRequest.all().includingScheduledForDeletion())).isEmpty();
            assertThatThrownBy(() -> client.forceDeleteSecret("s")).isInstanceOf(SecretNotFoundException.class);

            create("s", "new life");
            assertThat(currentText("s")).isEqualTo("new life");
            assertThat(client.describeSecret("s").versions()).hasSize(1);
        }

        @Test
        void pastItsRecoveryWindow_aSecretIsPurged() {
            create("gone", "one");
            create("kept", "two");
            client.deleteSecret("gone", 7);
            clock.advance(Duration.ofDays(7).minusSeconds(1));
            assertThat(client.purgeExpired()).isZero();
            assertThat(client.describeSecret("gone").isScheduledForDeletion()).isTrue();

            clock.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> client.restoreSecret("gone")).isInstanceOf(SecretNotFoundException.class);
            assertThat(client.purgeExpired()).isEqualTo(1);

            assertThatThrownBy(() -> client.getSecretValue("gone")).isInstanceOf(SecretNotFoundException.class);
            assertThatThrownBy(() -> client.describeSecret("gone")).isInstanceOf(SecretNotFoundException.class);
            assertThat(listAll(ListSecretsRequest.all().includingScheduledForDeletion())).containsExactly("kept");
            assertThat(client.purgeExpired()).isZero();
            create("gone", "again");
            assertThat(currentText("gone")).isEqualTo("again");
        }
    }

    // ================================================================ §4 describe and list

    @Nested
    class DescribeAndList {
        @Test
        void describe_returnsEveryFieldButNeverAValue() {
            Instant t0 = clock.instant();
            client.createSecret(CreateSecretRequest.of("prod/db", SecretKind.DATABASE, db("app", CANARY))
                    .withDescription("the app's database").withTag("team", "payments").withTag("env", "prod"));
            clock.advance(Duration.ofHours(1));
            String v2 = client.putSecretValue("prod/db", db("app", CANARY + "-2"));
            client.getSecretValue("prod/db");

            SecretDescription d = client.describeSecret("prod/db");

            assertThat(d.id().value()).isEqualTo("prod/db");
            assertThat(d.kind()).isEqualTo(SecretKind.DATABASE);
            assertThat(d.description()).isEqualTo("the app's database");
            assertThat(d.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "payments", "env", "prod"));
            assertThat(d.keyName()).isEqualTo("default");
            assertThat(d.created()).isEqualTo(t0);
            assertThat(d.lastChanged()).isEqualTo(t0.plus(Duration.ofHours(1)));
            assertThat(d.lastRotated()).isEqualTo(t0.plus(Duration.ofHours(1)));
            assertThat(d.lastAccessed()).isEqualTo(t0.truncatedTo(ChronoUnit.DAYS));
            assertThat(d.deletionDate()).isNull();
            assertThat(d.rotation()).isNull();
            assertThat(d.versions()).hasSize(2);
            assertThat(d.versions().get(0).versionId()).isEqualTo(v2);
            assertThat(d.versions().get(0).labels()).containsExactly(Label.CURRENT);
            assertThat(d.versions().get(0).created()).isEqualTo(t0.plus(Duration.ofHours(1)));
            assertThat(d.versions().get(1).labels()).containsExactly(Label.PREVIOUS);
            assertThat(d.versions().get(1).created()).isEqualTo(t0);
            assertThat(d.toString()).doesNotContain(CANARY);
        }

        @Test
        void describe_worksWithoutTheSecretsMasterKey_butReadingItNamesTheMissingKey() {
            SecretsClient teams = track(SecretsClient.builder().config(IsolatedConfig.get()).store(store).masterKey("default", KEY)
                    .masterKey("team-a", bytes(9)).clock(clock).build());
            teams.createSecret(CreateSecretRequest.of("team-a/token", SecretKind.GENERIC, text("t")).withKeyName("team-a"));
            assertThat(teams.getSecretValue("team-a/token").text()).isEqualTo("t");

            assertThat(client.describeSecret("team-a/token").keyName()).isEqualTo("team-a");
            assertThat(listAll(ListSecretsRequest.all())).containsExactly("team-a/token");
            assertThatThrownBy(() -> client.getSecretValue("team-a/token")).isInstanceOf(MissingMasterKeyException.class)
                    .hasMessageContaining("team-a");
        }

        @Test
        void aWrongMasterKey_isReportedAsSuch() {
            create("s", "one");
            SecretsClient wrong = client(OTHER_KEY);

            assertThatThrownBy(() -> wrong.getSecretValue("s")).isInstanceOf(WrongMasterKeyException.class)
                    .hasMessageContaining("wrong master key");
            assertThatThrownBy(() -> wrong.putSecretValue("s", text("x"))).isInstanceOf(WrongMasterKeyException.class);
            assertThat(currentText("s")).isEqualTo("one");
        }

        @Test
        void descriptionAndTags_canBeChanged() {
            create("s", "one");
            client.updateDescription("s", "new description");
            client.tagSecret("s", Map.of("a", "1", "b", "2"));
            client.untagSecret("s", List.of("a"));

            SecretDescription d = client.describeSecret("s");
            assertThat(d.description()).isEqualTo("new description");
            assertThat(d.tags()).containsExactly(Map.entry("b", "2"));
        }

        @Test
        void list_filtersByPrefixAndTags() {
            client.createSecret(CreateSecretRequest.of("prod/a", SecretKind.GENERIC, text("1")).withTag("team", "x"));
            client.createSecret(CreateSecretRequest.of("prod/b", SecretKind.GENERIC, text("2")).withTag("team", "y"));
            client.createSecret(CreateSecretRequest.of("prod-old/c", SecretKind.GENERIC, text("3")).withTag("team", "x"));
            client.createSecret(CreateSecretRequest.of("dev/d", SecretKind.GENERIC, text("4")));

            assertThat(listAll(ListSecretsRequest.all().withPrefix("prod/"))).containsExactlyInAnyOrder("prod/a", "prod/b");
            assertThat(listAll(ListSecretsRequest.all().withPrefix("prod"))).containsExactlyInAnyOrder("prod/a", "prod/b",
                    "prod-old/c");
            assertThat(listAll(ListSecretsRequest.all().withTag("team", "x"))).containsExactlyInAnyOrder("prod/a", "prod-old/c");
            assertThat(listAll(ListSecretsRequest.all().withTag("team", null))).containsExactlyInAnyOrder("prod/a", "prod/b",
                    "prod-old/c");
            assertThat(listAll(ListSecretsRequest.all().withPrefix("prod/").withTag("team", "x"))).containsExactly("prod/a");
            assertThat(listAll(ListSecretsRequest.all().withPrefix("nothing/"))).isEmpty();
        }

        @Test
        void list_pagesThroughEverySecretOnce() {
            Set<String> created = new HashSet<>();
            for (int i = 0; i < 23; i++) {
                String id = "p/" + (char) ('a' + i % 5) + "/" + i;
                create(id, "v");
                created.add(id);
                if (i % 4 == 0) {
                    client.putSecretValue(id, text("again")); // more than one generation written
                }
            }

            List<Integer> sizes = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            ListSecretsRequest r = ListSecretsRequest.all().withPageSize(5);
            while (true) {
                Page<SecretDescription> p = client.listSecrets(r);
                sizes.add(p.items().size());
                p.items().forEach(d -> seen.add(d.id().value()));
                if (p.nextToken() == null) {
                    break;
                }
                r = r.withNextToken(p.nextToken());
            }

            assertThat(seen).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(created);
            assertThat(sizes.subList(0, 4)).containsOnly(5);
            assertThatThrownBy(() -> ListSecretsRequest.all().withPageSize(0)).isInstanceOf(InvalidSecretException.class);
            assertThatThrownBy(() -> ListSecretsRequest.all().withPageSize(101)).isInstanceOf(InvalidSecretException.class);
        }

        @Test
        void list_leavesOutSecretsScheduledForDeletion_unlessAskedFor() {
            create("a", "1");
            create("b", "2");
            client.deleteSecret("b");

            assertThat(listAll(ListSecretsRequest.all())).containsExactly("a");
            assertThat(listAll(ListSecretsRequest.all().includingScheduledForDeletion())).containsExactly("a", "b");
        }

        @Test
        void list_ofAnEmptyStore_isEmpty() {
            Page<SecretDescription> p = client.listSecrets(ListSecretsRequest.all());
            assertThat(p.items()).isEmpty();
            assertThat(p.nextToken()).isNull();
        }
    }

    // ================================================================ master-key rotation and re-wrap

    /**
     * Master-key rotation and re-wrap: after rotating and re-wrapping, every version of every secret
     * is readable and no data key is wrapped by the old key version — checked in the stored records
     * themselves, read through the store — while the values' ciphertexts are untouched.
     */
    @Nested
    class MasterKeyRotation {
        private final byte[] teamKey = bytes(4);
        private final ObjectMapper json = new ObjectMapper();

        /** A client with master keys {@code default} and {@code team}; each test closes its own. */
        private SecretsClient keyClient() {
            return SecretsClient.builder().config(IsolatedConfig.get()).store(store).masterKey("default", KEY)
                    .masterKey("team", teamKey).clock(clock).cacheTtl(Duration.ZERO).build();
        }

        @Test
        void afterRotationAndRewrap_everyVersionIsReadable_andNoDataKeyIsWrappedByTheOldVersion() throws IOException {
            Map<String, String> values = new LinkedHashMap<>(); // "id versionId" → value
            try (SecretsClient client = keyClient()) {
                for (int s = 0; s < 4; s++) {
                    String id = "app/s" + s;
                    String v = client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText(id + "-0")))
                            .versions().get(0).versionId();
                    values.put(id + " " + v, id + "-0");
                    for (int i = 1; i < 3; i++) {
                        values.put(id + " " + client.putSecretValue(id, SecretValue.ofText(id + "-" + i)), id + "-" + i);
                    }
                }
                client.deleteSecret("app/s3", 7); // scheduled for deletion: its keys are re-wrapped too
                client.createSecret(CreateSecretRequest.of("team/t", SecretKind.GENERIC, SecretValue.ofText("team"))
                        .withKeyName("team"));
                Map<String, String> ciphertextsBefore = ciphertexts();

                assertThat(client.rotateMasterKey("default")).isEqualTo(2);
                // New versions use the new key version; old ones stay readable until re-wrapped.
                String fresh = client.putSecretValue("app/s0", SecretValue.ofText("after-rotation"));
                values.put("app/s0 " + fresh, "after-rotation");
                assertThat(keyVersionOf(client, "app/s0", fresh)).isEqualTo(2);
                assertThat(client.getSecretValue(GetSecretValueRequest.of("app/s1").withVersionId(firstVersion(values, "app/s1")))
                        .text()).isEqualTo("app/s1-0");

                List<int[]> progress = new ArrayList<>();
                int rewrapped = client.rewrap("default", (done, all) -> progress.add(new int[] {done, all}));

                assertThat(rewrapped).isEqualTo(12);
                assertThat(progress).isNotEmpty();
                assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(progress.get(progress.size() - 1)[1]);
                assertThat(client.rewrap("default", null)).as("a second re-wrap has nothing to do").isZero();
                Map<String, String> ciphertextsAfter = ciphertexts();
                assertThat(ciphertextsAfter).containsAllEntriesOf(ciphertextsBefore);
            }

            // The stored records themselves: every data key of master key default is wrapped by version 2.
            List<JsonNode> records = records(2);
            assertThat(records).hasSize(5);
            for (JsonNode r : records) {
                int expected = r.get("keyName").asText().equals("default") ? 2 : 1;
                for (JsonNode v : r.get("versions")) {
                    assertThat(v.get("keyVersion").asInt()).as("%s %s", r.get("id"), v.get("id")).isEqualTo(expected);
                }
            }

            // A fresh client (another process) reads every version of every secret.
            try (SecretsClient other = keyClient()) {
                other.restoreSecret("app/s3");
                for (Map.Entry<String, String> e : values.entrySet()) {
                    String[] k = e.getKey().split(" ");
                    assertThat(other.getSecretValue(GetSecretValueRequest.of(k[0]).withVersionId(k[1])).text())
                            .isEqualTo(e.getValue());
                }
                assertThat(other.getSecretValue("team/t").text()).isEqualTo("team");
                assertThat(other.describeSecret("app/s1").versions()).extracting(VersionDescription::keyVersion).containsOnly(2);
            }
        }

        @Test
        void aKeyRotatedByAnotherProcess_isPickedUpByAClientThatCachedTheOldKeyring() {
            try (SecretsClient a = keyClient(); SecretsClient b = keyClient()) {
                a.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("one")));
                assertThat(b.getSecretValue("s").text()).isEqualTo("one"); // b caches keyring version 1

                a.rotateMasterKey("default");
                a.putSecretValue("s", SecretValue.ofText("two"));

                assertThat(b.getSecretValue("s").text()).isEqualTo("two");
                b.putSecretValue("s", SecretValue.ofText("three"));
                assertThat(a.getSecretValue("s").text()).isEqualTo("three");
            }
        }

        private String firstVersion(Map<String, String> values, String id) {
            return values.keySet().stream().filter(k -> k.startsWith(id + " ")).findFirst().orElseThrow().split(" ")[1];
        }

        private int keyVersionOf(SecretsClient c, String id, String versionId) {
            return c.describeSecret(id).versions().stream().filter(v -> v.versionId().equals(versionId)).findFirst().orElseThrow()
                    .keyVersion();
        }

        /**
         * The record JSON of each secret's latest generation object (the third line: after the log
         * frame and the MAC header), listed and read through the store itself.
         */
        private List<JsonNode> records(int expectedMacKeyVersion) throws IOException {
            ObjectStore raw = store.delegate();
            List<JsonNode> out = new ArrayList<>();
            String after = null;
            while (true) {
                ListPage page = raw.list("secrets/", after, 100);
                for (String key : page.keys()) {
                    if (!key.substring(key.lastIndexOf('/') + 1).matches("~[0-9a-f]{16}")) {
                        continue;
                    }
                    String[] lines = new String(raw.get(key).orElseThrow(), StandardCharsets.UTF_8).split("\n", 3);
                    JsonNode header = json.readTree(lines[1]);
                    JsonNode record = json.readTree(lines[2]);
                    if (expectedMacKeyVersion > 0 && record.get("keyName").asText().equals("default")) {
                        assertThat(header.get("keyVersion").asInt()).as("MAC key version of %s", key).isEqualTo(expectedMacKeyVersion);
                    }
                    out.add(record);
                }
                if (!page.truncated()) {
                    return out;
                }
                after = page.keys().get(page.keys().size() - 1);
            }
        }

        private Map<String, String> ciphertexts() throws IOException {
            Map<String, String> out = new LinkedHashMap<>();
            for (JsonNode r : records(0)) {
                for (JsonNode v : r.get("versions")) {
                    out.put(r.get("id").asText() + " " + v.get("id").asText(), v.get("ciphertext").asText() + v.get("nonce").asText());
                }
            }
            return out;
        }
    }
}
