package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.StoreUnavailableException;
import dev.secrets.VersionDescription;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.IsolatedConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 server is stopped in the middle of a run of writes and started again on the same port and
 * data (s3proxy's filesystem blob store): while it is down, operations fail with
 * {@link StoreUnavailableException} naming the store; afterwards they succeed. A writer sends each
 * write again, with its idempotency token, until it is acknowledged: every write attempted is
 * acknowledged and there exactly once, whole and readable, and no call made after the restart fails.
 */
class S3ServerRestartTest {
    private static final byte[] KEY = key();
    private static final String ID = "prod/restart";

    @TempDir
    Path dir;

    private static byte[] key() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 9);
        return k;
    }

    private static SecretsClient client(String uri, Duration ttl) {
        SecretsConfig config = IsolatedConfig.builder()
                .set(S3ObjectStoreProvider.MAX_ATTEMPTS, "2").set(S3ObjectStoreProvider.TIMEOUT, "10s").build();
        return SecretsClient.builder().config(config).store(uri).masterKey("default", KEY).cacheTtl(ttl).build();
    }

    @Test
    void operationsFailClearlyWhileTheServerIsDown_andNothingAcknowledgedIsLostAfterItRestarts() throws Exception {
        S3ProxyServer.shared(); // credentials for the SDK's default chain
        S3ProxyServer server = S3ProxyServer.filesystem(dir.resolve("blobs"), 0);
        int port = server.port();
        String bucket = "restart";
        server.createBucket(bucket);
        String uri = server.storeUri(bucket, "app");

        try (SecretsClient writer = client(uri, Duration.ZERO); SecretsClient reader = client(uri, Duration.ofHours(1))) {
            writer.createSecret(CreateSecretRequest.of(ID, SecretKind.GENERIC, SecretValue.ofText("v-initial")));
            assertThat(reader.getSecretValue(ID).text()).isEqualTo("v-initial");

            // A writer that keeps writing through the outage: each write is sent again, with its idempotency
            // token, until it is acknowledged; while the server is down it may fail only with a declared error.
            Map<String, String> acknowledged = Collections.synchronizedMap(new HashMap<>());
            List<String> attempted = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger unavailable = new AtomicInteger();
            AtomicInteger unconfirmed = new AtomicInteger();
            List<String> failedAfterRestart = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger afterRestart = new AtomicInteger();
            AtomicBoolean restarted = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> run = pool.submit(() -> {
                for (int i = 0; afterRestart.get() < 3 && i < 500; i++) {
                    String value = "v-" + i;
                    attempted.add(value);
                    PutSecretValueRequest put = PutSecretValueRequest.of(ID, SecretValue.ofText(value)).withToken("t-" + i);
                    while (!Thread.currentThread().isInterrupted()) {
                        boolean wasRestarted = restarted.get();
                        try {
                            acknowledged.put(writer.putSecretValue(put), value);
                            if (wasRestarted) {
                                afterRestart.incrementAndGet();
                            }
                            break;
                        } catch (StoreUnavailableException | ConflictException e) {
                            // Unavailable: nothing was written; conflict: the outcome is unknown. Both are retryable.
                            if (wasRestarted) {
                                failedAfterRestart.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                            } else if (e instanceof StoreUnavailableException) {
                                unavailable.incrementAndGet();
                            } else {
                                unconfirmed.incrementAndGet();
                            }
                            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                        }
                    }
                }
            });
            awaitUntil(() -> acknowledged.size() >= 2);

            server.stop();
            int unavailableBefore = unavailable.get();
            assertThatThrownBy(() -> writer.putSecretValue(ID, SecretValue.ofText("while-down")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("s3://" + bucket + "/app")
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThatThrownBy(() -> writer.describeSecret(ID)).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> reader.refresh(ID)).isInstanceOf(StoreUnavailableException.class);
            // A cached value is still served while the store is away.
            assertThat(reader.getSecretValue(ID).text()).isEqualTo("v-initial");
            awaitUntil(() -> unavailable.get() > unavailableBefore);

            S3ProxyServer again = S3ProxyServer.filesystem(dir.resolve("blobs"), port);
            try {
                restarted.set(true);
                run.get(5, TimeUnit.MINUTES);
                pool.shutdown();

                SecretDescription d = writer.describeSecret(ID);
                Map<String, VersionDescription> versions = d.versions().stream().collect(Collectors.toMap(VersionDescription::versionId, v -> v));
                assertThat(versions).hasSize(d.versions().size());
                assertThat(failedAfterRestart).as("failures of calls made after the restart").isEmpty();
                // Every write attempted was acknowledged (retried with its token), and each is there once.
                assertThat(acknowledged).hasSize(attempted.size());
                assertThat(d.versions()).hasSize(attempted.size() + 1);
                acknowledged.forEach((version, value) -> {
                    assertThat(versions).containsKey(version);
                    assertThat(writer.getSecretValue(GetSecretValueRequest.of(ID).withVersionId(version)).text()).isEqualTo(value);
                });
                assertThat(d.versions().stream().filter(v -> v.labels().contains(Label.CURRENT)).count()).isEqualTo(1);
                assertThat(writer.refresh(ID).text()).isEqualTo(attempted.get(attempted.size() - 1));
                assertThat(unavailable.get()).isPositive();
                System.out.println("restart: attempted and acknowledged " + acknowledged.size() + ", failed while down " + unavailable.get()
                        + " unavailable + " + unconfirmed.get() + " unconfirmed, versions " + d.versions().size());
            } finally {
                again.stop();
                pool.shutdownNow();
            }
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 2 minutes");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
