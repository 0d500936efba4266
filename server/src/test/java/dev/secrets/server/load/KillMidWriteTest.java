package dev.secrets.server.load;

import dev.secrets.testing.IsolatedConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.testing.ServerFixture;
import dev.secrets.server.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/**
 * Issue #21, fault: a server (its own JVM, on the file store) killed with SIGKILL while 8 SDK
 * clients write to 20 secrets, then a new server started on the same store: every write the killed
 * server acknowledged is there with its value, and no record is torn — every version of every
 * secret reads back through the new server and through the library (both verify the records' MACs),
 * and every secret takes a new write.
 */
class KillMidWriteTest {
    static final int WRITERS = 8;
    static final int SECRETS = 20;

    @TempDir
    Path dir;

    @Test
    void killedMidWrite_restartedOnTheSameStore_everyAcknowledgedWritePresent_noTornRecord() throws Exception {
        String store = "file:" + dir.resolve("store");
        MixedLoad.seed(store, 0, SECRETS);
        AccessKeys.Pair admin = ServerProcess.createKey(store, "writer", ServerFixture.ALLOW_ALL);
        ConcurrentLinkedQueue<MixedLoad.Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger cutOff = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<SecretsManagerClient> clients = new ArrayList<>();
        try (ServerProcess first = ServerProcess.start(store, Duration.ofHours(1), 100, "-Xmx128m")) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                SecretsManagerClient sm = ServerFixture.sdk(first.endpoint(), admin);
                clients.add(sm);
                done.add(pool.submit(() -> {
                    for (int i = 0; !killed.get(); i++) {
                        String name = MixedLoad.COLD + ((writer * 7 + i) % SECRETS);
                        String value = "{\"password\":\"w" + writer + "-" + i + "\"}";
                        try {
                            String v = sm.putSecretValue(r -> r.secretId(name).secretString(value)).versionId();
                            if (v == null) {
                                // A 200 whose body the kill cut off: the JDK server flushes the status line and
                                // headers before the body, and the SDK's URL-connection client reads a body cut
                                // short as an empty one, so the call "succeeds" with no VersionId. That is not an
                                // acknowledgement; it can only happen once the server is being killed.
                                assertThat(killed.get()).as("PutSecretValue answered without a VersionId while the server was up")
                                        .isTrue();
                                cutOff.incrementAndGet();
                                continue;
                            }
                            acks.add(new MixedLoad.Ack(name, v, value));
                        } catch (SdkClientException e) {
                            if (killed.get()) {
                                cutOff.incrementAndGet(); // in flight when the server died: not acknowledged
                            } else {
                                throw e;
                            }
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acks.size() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            killed.set(true);
            first.kill();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
            clients.forEach(SecretsManagerClient::close);
        }
        System.out.printf("KillMidWriteTest: %d writes acknowledged, %d in flight when SIGKILL came%n", acks.size(), cutOff.get());
        assertThat(acks).hasSizeGreaterThanOrEqualTo(40);

        try (ServerProcess second = ServerProcess.start(store, Duration.ofHours(1), 100, "-Xmx128m");
             SecretsManagerClient sm = ServerFixture.sdk(second.endpoint(), admin)) {
            assertThat(MixedLoad.unreadable(new ArrayList<>(acks), 4, i -> sm)).as("acknowledged writes missing").isEmpty();
            int versions = 0;
            for (int s = 0; s < SECRETS; s++) {
                String name = MixedLoad.COLD + s;
                List<SecretVersionsListEntry> listed = sm.listSecretVersionIds(r -> r.secretId(name).includeDeprecated(true)).versions();
                for (SecretVersionsListEntry e : listed) {
                    assertThat(sm.getSecretValue(r -> r.secretId(name).versionId(e.versionId())).secretString())
                            .startsWith("{\"password\":");
                    versions++;
                }
                String v = sm.putSecretValue(r -> r.secretId(name).secretString("{\"password\":\"after\"}")).versionId();
                assertThat(sm.getSecretValue(r -> r.secretId(name)).versionId()).isEqualTo(v);
            }
            assertThat(versions).isGreaterThanOrEqualTo(acks.size());
        }
        try (SecretsClient library = SecretsClient.builder().config(IsolatedConfig.get()).store(store)
                .masterKey("default", ServerFixture.masterKey()).build()) {
            List<String> wrong = new ArrayList<>();
            for (MixedLoad.Ack a : acks) {
                SecretVersion v = library.getSecretValue(GetSecretValueRequest.of(a.name()).withVersionId(a.versionId()));
                if (!v.value().text().equals(a.value()) || !v.versionId().equals(a.versionId())) {
                    wrong.add(a + " read as " + v.versionId() + " " + v.labels() + " " + v.value().text());
                }
            }
            assertThat(wrong).as("acknowledged writes the library reads otherwise").isEmpty();
        }
    }
}
