package dev.secrets.internal.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.testing.Canary;
import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.RotationDescription;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationOutcome;
import dev.secrets.RotationSettings;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.VersionDescription;
import dev.secrets.spi.AuditEvent;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RotationEngineTest {
    private static final byte[] KEY = new byte[32];
    private static final String CANARY = Canary.with("Pa55w0rd");

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final FaultInjectingRotator flaky = new FaultInjectingRotator("flaky", new RandomPasswordRotator());
    private final List<SecretsClient> clients = new ArrayList<>();
    private final SecretsClient client = client();

    private SecretsClient client() {
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient c = SecretsClient.builder().config(config).store(store).masterKey("default", KEY).clock(clock)
                .rotator(flaky).build();
        clients.add(c);
        return c;
    }

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
    }

    private void createDatabaseSecret(String id) {
        client.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, SecretValue.ofFields(Map.of(
                "username", "app", "password", CANARY, "host", "db.example", "port", 5432))));
    }

    private static List<String> labelsOf(SecretDescription d) {
        List<String> out = new ArrayList<>();
        for (VersionDescription v : d.versions()) {
            out.add(v.versionId() + "=" + v.labels());
        }
        return out;
    }

    @Test
    void rotateNow_withRandomPassword_makesANewCurrentAndTheOldOnePrevious() {
        createDatabaseSecret("app/db");
        String before = client.getSecretValue("app/db").versionId();
        client.configureRotation("app/db", RotationSettings.of("random-password", "rate(30 days)"));

        String token = client.rotateNow("app/db");

        SecretVersion now = client.getSecretValue("app/db");
        assertThat(now.versionId()).isEqualTo(token);
        assertThat(now.field("password")).hasSize(32).isNotEqualTo(CANARY);
        assertThat(now.field("username")).isEqualTo("app");
        assertThat(now.value().fields()).containsEntry("port", "5432");
        SecretVersion previous = client.getSecretValue(GetSecretValueRequest.of("app/db").withLabel(Label.PREVIOUS));
        assertThat(previous.versionId()).isEqualTo(before);
        SecretDescription d = client.describeSecret("app/db");
        assertThat(d.versionWith(Label.PENDING)).isEmpty();
        assertThat(d.versions()).hasSize(2);
        RotationDescription r = d.rotation();
        assertThat(r.lastOutcome()).isEqualTo("succeeded");
        assertThat(r.pendingVersion()).isNull();
        assertThat(r.lastAttempt()).isEqualTo(clock.instant());
        assertThat(d.lastRotated()).isEqualTo(clock.instant());
        assertThat(r.nextRotation()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
    }

    @Test
    void randomPassword_onATextSecret_replacesTheText_withTheOptionsGiven() {
        client.createSecret(CreateSecretRequest.of("api/token", SecretKind.GENERIC, SecretValue.ofText(CANARY)));
        client.configureRotation("api/token", RotationSettings.of("random-password", null)
                .withParameter("passwordLength", "20").withParameter("excludePunctuation", "true"));

        client.rotateNow("api/token");

        assertThat(client.getSecretValue("api/token").text()).matches("[A-Za-z0-9]{20}");
    }

    @Test
    void randomPassword_intoAChosenField_keepsTheOtherFields() {
        client.createSecret(CreateSecretRequest.of("svc/keys", SecretKind.GENERIC, SecretValue.ofFields(Map.of(
                "apiKey", CANARY, "region", "eu"))));
        client.configureRotation("svc/keys", RotationSettings.of("random-password", null).withParameter("field", "apiKey"));

        client.rotateNow("svc/keys");

        Map<String, String> f = client.getSecretValue("svc/keys").value().fields();
        assertThat(f.get("apiKey")).hasSize(32).isNotEqualTo(CANARY);
        assertThat(f).containsEntry("region", "eu").doesNotContainKey("password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"createSecret", "setSecret", "testSecret", "finishSecret"})
    void failureAfterAStep_isRecorded_andTheNextAttemptCompletesWithTheSamePendingVersion(String step) {
        createDatabaseSecret("app/db");
        String before = client.getSecretValue("app/db").versionId();
        client.configureRotation("app/db", RotationSettings.of("flaky", "rate(1 day)"));
        flaky.failOnceAfter(step);

        assertThatThrownBy(() -> client.rotateNow("app/db"))
                .isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("app/db").hasMessageContaining(step)
                .satisfies(e -> assertThat(((RotationFailedException) e).step()).isEqualTo(step));

        SecretDescription failed = client.describeSecret("app/db");
        RotationDescription r = failed.rotation();
        assertThat(r.lastOutcome()).isEqualTo("failed");
        assertThat(r.failedStep()).isEqualTo(step);
        assertThat(r.lastError()).contains("injected failure after " + step);
        assertThat(r.pendingVersion()).isNotNull();
        String pending = r.pendingVersion();
        SecretVersion pendingValue = client.getSecretValue(GetSecretValueRequest.of("app/db").withVersionId(pending));
        if (!step.equals("finishSecret")) {
            assertThat(client.refresh("app/db").versionId()).isEqualTo(before); // CURRENT unchanged
        }

        String token = client.rotateNow("app/db");

        assertThat(token).isEqualTo(pending);
        SecretVersion current = client.refresh("app/db");
        assertThat(current.versionId()).isEqualTo(pending);
        assertThat(current.value()).isEqualTo(pendingValue.value()); // the value made before the failure, not a new one
        SecretDescription done = client.describeSecret("app/db");
        assertThat(done.versions()).hasSize(2);
        assertThat(done.versionWith(Label.PREVIOUS).orElseThrow().versionId()).isEqualTo(before);
        assertThat(done.versionWith(Label.PENDING)).isEmpty();
        assertThat(done.rotation().lastOutcome()).isEqualTo("succeeded");
        assertThat(done.rotation().failedStep()).isNull();
        assertThat(done.rotation().lastError()).isNull();
        assertThat(done.rotation().pendingVersion()).isNull();
        // Steps before the failed one are not repeated; the failed one is.
        int index = RotationEngine.STEPS.indexOf(step);
        for (int i = 0; i < RotationEngine.STEPS.size(); i++) {
            assertThat(flaky.calls(RotationEngine.STEPS.get(i))).as(RotationEngine.STEPS.get(i)).isEqualTo(i == index ? 2 : 1);
        }
    }

    @Test
    void aPendingVersionThatIsNotCurrent_isAdoptedAsTheRotationInProgress() {
        createDatabaseSecret("app/db");
        client.configureRotation("app/db", RotationSettings.of("flaky", null));
        String staged = client.putSecretValue(dev.secrets.PutSecretValueRequest.of("app/db",
                SecretValue.ofFields(Map.of("username", "app", "password", "staged-by-an-operator"))).withLabels(Label.PENDING));

        String token = client.rotateNow("app/db");

        assertThat(token).isEqualTo(staged);
        assertThat(client.refresh("app/db").field("password")).isEqualTo("staged-by-an-operator");
        assertThat(client.describeSecret("app/db").versions()).hasSize(2);
    }

    @Test
    void crashAfterAStep_leavesTheLeaseTaken_andAnotherClientResumesOnceItExpires() {
        createDatabaseSecret("app/db");
        String before = client.getSecretValue("app/db").versionId();
        client.configureRotation("app/db", RotationSettings.of("flaky", "rate(1 day)"));
        flaky.crashOnceAfter("setSecret");
        assertThatThrownBy(() -> client.rotateNow("app/db")).isInstanceOf(FaultInjectingRotator.SimulatedCrash.class);
        String pending = client.describeSecret("app/db").rotation().pendingVersion();

        SecretsClient other = client();
        assertThatThrownBy(() -> other.rotateNow("app/db")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("being rotated by another client");
        assertThat(other.runDueRotations()).isEmpty();

        clock.advance(RotationEngine.DEFAULT_LEASE.plusSeconds(1));
        List<RotationOutcome> outcomes = other.runDueRotations();

        assertThat(outcomes).extracting(RotationOutcome::succeeded, RotationOutcome::versionId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(true, pending));
        assertThat(other.refresh("app/db").versionId()).isEqualTo(pending);
        assertThat(client.describeSecret("app/db").versionWith(Label.PREVIOUS).orElseThrow().versionId()).isEqualTo(before);
        assertThat(flaky.calls("createSecret")).isEqualTo(1);
        // The crash came before setSecret was recorded as done, so the resumed rotation ran it again.
        assertThat(flaky.calls("setSecret")).isEqualTo(2);
        assertThat(flaky.calls("testSecret")).isEqualTo(1);
    }

    @Test
    void aRotationRunningElsewhere_isNotStartedTwice() throws Exception {
        createDatabaseSecret("app/db");
        client.configureRotation("app/db", RotationSettings.of("flaky", "rate(1 day)"));
        flaky.blockAfter("setSecret");
        clock.advance(Duration.ofDays(1)); // due, so that the other client would rotate it if it could
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = ex.submit(() -> client.rotateNow("app/db"));
            assertThat(flaky.awaitBlocked(30)).isTrue();

            SecretsClient other = client();
            assertThatThrownBy(() -> other.rotateNow("app/db")).isInstanceOf(ConflictException.class);
            assertThat(other.runDueRotations()).isEmpty();

            flaky.release();
            String token = first.get(30, TimeUnit.SECONDS);
            assertThat(other.refresh("app/db").versionId()).isEqualTo(token);
            assertThat(flaky.calls("createSecret")).isEqualTo(1);
        } finally {
            flaky.release();
            ex.shutdownNow();
        }
    }

    @Test
    void twoClientsRunningDueRotationsAtOnce_rotateEachSecretExactlyOnce() throws Exception {
        int secrets = 8;
        for (int i = 0; i < secrets; i++) {
            createDatabaseSecret("app/db" + i);
            client.configureRotation("app/db" + i, RotationSettings.of("flaky", "rate(1 day)"));
        }
        clock.advance(Duration.ofDays(1));
        SecretsClient a = client();
        SecretsClient b = client();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Callable<List<RotationOutcome>> runA = () -> {
                go.await();
                return a.runDueRotations();
            };
            Callable<List<RotationOutcome>> runB = () -> {
                go.await();
                return b.runDueRotations();
            };
            Future<List<RotationOutcome>> fa = ex.submit(runA);
            Future<List<RotationOutcome>> fb = ex.submit(runB);
            go.countDown();
            List<RotationOutcome> all = new ArrayList<>(fa.get(60, TimeUnit.SECONDS));
            all.addAll(fb.get(60, TimeUnit.SECONDS));

            assertThat(all).hasSize(secrets).allMatch(RotationOutcome::succeeded);
            assertThat(all).extracting(o -> o.secretId().value()).doesNotHaveDuplicates();
            for (int i = 0; i < secrets; i++) {
                assertThat(client.describeSecret("app/db" + i).versions()).hasSize(2);
            }
            assertThat(flaky.calls("createSecret")).isEqualTo(secrets);
            assertThat(a.runDueRotations()).isEmpty();
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void schedule_rotatesWhenDue_andAManualWriteCountsAsARotation() {
        createDatabaseSecret("app/db");
        Instant created = clock.instant();
        RotationDescription r = client.configureRotation("app/db", RotationSettings.of("random-password", "rate(2 days)"));
        assertThat(r.nextRotation()).isEqualTo(created.plus(Duration.ofDays(2)));

        clock.advance(Duration.ofDays(1));
        assertThat(client.runDueRotations()).isEmpty();
        client.putSecretValue("app/db", SecretValue.ofFields(Map.of("username", "app", "password", "set-by-hand-1")));
        Instant manual = clock.instant();
        assertThat(client.describeSecret("app/db").rotation().nextRotation()).isEqualTo(manual.plus(Duration.ofDays(2)));

        clock.advance(Duration.ofDays(1).plusHours(1)); // due by the first schedule, not since the manual write
        assertThat(client.runDueRotations()).isEmpty();

        clock.advance(Duration.ofDays(1));
        List<RotationOutcome> outcomes = client.runDueRotations();
        assertThat(outcomes).hasSize(1).allMatch(RotationOutcome::succeeded);
        assertThat(client.refresh("app/db").field("password")).isNotEqualTo("set-by-hand-1");
        assertThat(client.describeSecret("app/db").rotation().nextRotation()).isEqualTo(clock.instant().plus(Duration.ofDays(2)));
        assertThat(client.runDueRotations()).isEmpty();
    }

    @Test
    void cronSchedule_inAZone_showsTheNextDate() {
        createDatabaseSecret("app/db");
        RotationDescription r = client.configureRotation("app/db",
                RotationSettings.of("random-password", "0 3 * * *").withZone("Europe/Paris"));
        // Clock at 2030-01-15T10:00Z; 03:00 in Paris (CET) is 02:00Z.
        assertThat(r.nextRotation()).isEqualTo(Instant.parse("2030-01-16T02:00:00Z"));
        assertThat(r.zone()).isEqualTo("Europe/Paris");
        assertThat(r.schedule()).isEqualTo("0 3 * * *");
    }

    @Test
    void aDisabledSchedule_isNotRun_butRotateNowWorks() {
        createDatabaseSecret("app/db");
        client.configureRotation("app/db", RotationSettings.of("random-password", "rate(1 day)").withEnabled(false));
        clock.advance(Duration.ofDays(3));
        assertThat(client.runDueRotations()).isEmpty();
        assertThat(client.describeSecret("app/db").rotation().nextRotation()).isNull();
        String token = client.rotateNow("app/db");
        assertThat(client.refresh("app/db").versionId()).isEqualTo(token);
    }

    @Test
    void aFailedScheduledRotation_isRetriedAfterADelay_notAtEveryRun() {
        createDatabaseSecret("app/db");
        client.configureRotation("app/db", RotationSettings.of("flaky", "rate(1 day)"));
        flaky.failAlwaysAfter("setSecret", "target system unavailable");
        clock.advance(Duration.ofDays(1));

        List<RotationOutcome> first = client.runDueRotations();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).succeeded()).isFalse();
        assertThat(first.get(0).failedStep()).isEqualTo("setSecret");
        assertThat(first.get(0).error()).contains("target system unavailable");
        clock.advance(Duration.ofMinutes(1));
        assertThat(client.runDueRotations()).isEmpty();

        flaky.heal();
        clock.advance(RotationEngine.FAILURE_RETRY);
        assertThat(client.runDueRotations()).hasSize(1).allMatch(RotationOutcome::succeeded);
        assertThat(flaky.calls("createSecret")).isEqualTo(1);
    }

    @Test
    void errorsNeverContainSecretValues() {
        createDatabaseSecret("app/db");
        client.configureRotation("app/db", RotationSettings.of("flaky", null));
        flaky.failAlwaysAfter("testSecret", "server said: password \"" + CANARY + "\" is wrong");

        assertThatThrownBy(() -> client.rotateNow("app/db"))
                .isInstanceOf(RotationFailedException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).contains("****"));
        assertThat(client.describeSecret("app/db").rotation().lastError()).doesNotContain(CANARY);
        assertThat(client.describeSecret("app/db").toString()).doesNotContain(CANARY);
    }

    @Test
    void everyStep_isAudited_withTheRotationToken_andFailuresWithTheErrorClass() {
        List<AuditEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient audited = SecretsClient.builder().config(config).store(store).masterKey("default", KEY).clock(clock)
                .rotator(flaky).auditSink(events::add).principal("rotation-test").build();
        clients.add(audited);
        createDatabaseSecret("app/db");
        audited.configureRotation("app/db", RotationSettings.of("flaky", null));
        flaky.failOnceAfter("testSecret");
        assertThatThrownBy(() -> audited.rotateNow("app/db")).isInstanceOf(RotationFailedException.class);
        String token = audited.rotateNow("app/db");

        List<String> steps = new ArrayList<>();
        for (AuditEvent e : events) {
            if (e.action().startsWith("rotation.")) {
                steps.add(e.action() + " " + e.outcome() + (e.errorClass() == null ? "" : " " + e.errorClass()));
                assertThat(e.secretId()).isEqualTo("app/db");
                assertThat(e.principal()).isEqualTo("rotation-test");
                if (!e.action().equals("rotation.configure")) {
                    assertThat(e.versionId()).isEqualTo(token);
                }
            }
        }
        assertThat(steps).containsExactly("rotation.configure success", "rotation.createSecret success",
                "rotation.setSecret success", "rotation.testSecret failure InjectedFailure", "rotation.testSecret success",
                "rotation.finishSecret success");
        assertThat(events.toString()).doesNotContain(CANARY);
    }

    @Test
    void aCustomRotator_listedInMetaInfServices_isFoundByName() {
        client.createSecret(CreateSecretRequest.of("app/text", SecretKind.GENERIC, SecretValue.ofText("v1")));
        client.configureRotation("app/text", RotationSettings.of("example-suffix", null).withParameter("suffix", "-next"));

        client.rotateNow("app/text");
        client.rotateNow("app/text");

        assertThat(client.refresh("app/text").text()).isEqualTo("v1-next-next");
        assertThat(client.describeSecret("app/text").versions()).hasSize(3);
    }

    // ------------------------------------------------------------ bad input

    @Test
    void unknownRotator_isRefusedNamingTheAvailableOnes_andNothingIsWritten() {
        createDatabaseSecret("app/db");
        assertThatThrownBy(() -> client.configureRotation("app/db", RotationSettings.of("mysql-magic", "rate(1 day)")))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("unknown rotator 'mysql-magic'")
                .hasMessageContaining("random-password").hasMessageContaining("postgresql");
        assertThat(client.describeSecret("app/db").rotation()).isNull();
    }

    @Test
    void aRotatorMissingFromTheRotatingClient_failsClearly_andCurrentIsUnchanged() {
        createDatabaseSecret("app/db");
        client.configureRotation("app/db", RotationSettings.of("flaky", "rate(1 day)"));
        String before = client.getSecretValue("app/db").versionId();
        SecretsClient without = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .store(store).masterKey("default", KEY).clock(clock).build();
        clients.add(without);

        assertThatThrownBy(() -> without.rotateNow("app/db")).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("unknown rotator 'flaky'");
        clock.advance(Duration.ofDays(2));
        List<RotationOutcome> outcomes = without.runDueRotations();
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).succeeded()).isFalse();
        assertThat(outcomes.get(0).error()).contains("unknown rotator 'flaky'");
        assertThat(client.refresh("app/db").versionId()).isEqualTo(before);
        assertThat(client.describeSecret("app/db").rotation().pendingVersion()).isNull();
    }

    @Test
    void badSchedule_isRefused_andNothingIsWritten() {
        createDatabaseSecret("app/db");
        assertThatThrownBy(() -> client.configureRotation("app/db", RotationSettings.of("random-password", "rate(3 fortnights)")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("rate(3 fortnights)");
        assertThatThrownBy(() -> client.configureRotation("app/db", RotationSettings.of("random-password", "0 3 * *")))
                .isInstanceOf(InvalidSecretException.class);
        assertThatThrownBy(() -> client.configureRotation("app/db", RotationSettings.of("random-password", "0 3 * * *")
                .withZone("Nowhere/City"))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("Nowhere/City");
        assertThat(client.describeSecret("app/db").rotation()).isNull();
    }

    @Test
    void badRotatorParameters_areRefusedAtConfiguration() {
        createDatabaseSecret("app/db");
        assertThatThrownBy(() -> client.configureRotation("app/db", RotationSettings.of("postgresql", "rate(1 day)")
                .withParameter("strategy", "alternating-users")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("adminSecretId");
        assertThatThrownBy(() -> client.configureRotation("app/db", RotationSettings.of("postgresql", "rate(1 day)")
                .withParameter("strategy", "round-robin")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("round-robin");
        assertThatThrownBy(() -> client.configureRotation("app/db", RotationSettings.of("random-password", "rate(1 day)")
                .withParameter("passwordLength", "0")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("length");
    }

    @Test
    void rotateNow_withoutSettings_orOfAMissingSecret_failsClearly() {
        createDatabaseSecret("app/db");
        assertThatThrownBy(() -> client.rotateNow("app/db")).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("rotation is not configured");
        assertThatThrownBy(() -> client.rotateNow("app/none")).isInstanceOf(SecretNotFoundException.class);
        assertThatThrownBy(() -> client.configureRotation("app/none", RotationSettings.of("random-password", null)))
                .isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    void aBinarySecret_cannotBeRotatedByRandomPassword_andStaysAsItWas() {
        client.createSecret(CreateSecretRequest.of("blob", SecretKind.GENERIC, SecretValue.ofBytes(new byte[] {1, 2, 3})));
        String before = client.getSecretValue("blob").versionId();
        client.configureRotation("blob", RotationSettings.of("random-password", null));
        assertThatThrownBy(() -> client.rotateNow("blob")).isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("binary");
        assertThat(client.refresh("blob").versionId()).isEqualTo(before);
    }
}
