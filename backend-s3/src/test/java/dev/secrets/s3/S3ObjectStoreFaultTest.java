package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.testing.Canary;
import dev.secrets.StoreUnavailableException;
import dev.secrets.s3.testing.FaultProxy;
import dev.secrets.s3.testing.FaultProxy.Fault;
import dev.secrets.s3.testing.S3ProxyExtension;
import dev.secrets.s3.testing.S3ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

@ExtendWith(S3ProxyExtension.class)
class S3ObjectStoreFaultTest {
    private static final byte[] RECORD = "a whole record".getBytes(StandardCharsets.UTF_8);
    private final S3ProxyServer s3;
    private FaultProxy proxy;
    private String bucket;
    private S3ObjectStore direct;
    private S3ObjectStore viaProxy;

    S3ObjectStoreFaultTest(S3ProxyServer s3) {
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        proxy = new FaultProxy(s3.port());
        bucket = s3.newBucket();
        direct = s3.storeBuilder(s3.storeUri(bucket, null)).build();
        viaProxy = S3ObjectStore.builder(S3StoreLocation.parse("s3://" + bucket + "?endpoint=" + proxy.endpoint() + "&pathStyle=true"))
                .credentials(S3ProxyServer.credentials()).maxAttempts(3).build();
    }

    @AfterEach
    void stop() {
        viaProxy.close();
        direct.close();
        proxy.close();
    }

    @Test
    void slowDown_isRetriedWithBackoff_andTheWriteSucceeds() {
        proxy.failNext(Fault.SLOW_DOWN, 2);
        assertThat(viaProxy.putIfAbsent("k/~1", RECORD)).isTrue();
        assertThat(proxy.faulted()).isEqualTo(2);
        assertThat(direct.get("k/~1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(RECORD));
    }

    @Test
    void slowDownOnEveryAttempt_failsClearlyAfterTheBoundedAttempts() {
        proxy.failNext(Fault.SLOW_DOWN, 100);
        assertThatThrownBy(() -> viaProxy.get("k/~1"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("s3://" + bucket)
                .hasMessageContaining("could not read 'k/~1'")
                .hasMessageContaining("503 SlowDown")
                .hasMessageContaining("after 3 attempts");
        assertThat(proxy.faulted()).isEqualTo(3);
    }

    @Test
    void internalErrors_areRetried_thenReportedAsUnavailable() {
        proxy.failNext(Fault.INTERNAL_ERROR, 100);
        assertThatThrownBy(() -> viaProxy.list("k/", null, 10))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("500 InternalError");
        assertThat(proxy.faulted()).isEqualTo(3);
        proxy.failNext(Fault.INTERNAL_ERROR, 1);
        assertThat(viaProxy.list("k/", null, 10).keys()).isEmpty();
    }

    @Test
    void aPutCutOffMidBody_neverLeavesAPartialObject() {
        proxy.failNext(Fault.CUT_BODY, 100);
        assertThatThrownBy(() -> viaProxy.putIfAbsent("k/~1", RECORD)).isInstanceOf(StoreUnavailableException.class);
        assertThat(proxy.faulted()).isEqualTo(3);
        assertThat(direct.get("k/~1")).isEmpty();
        assertThat(direct.list("", null, 10).keys()).isEmpty();
        // Recovery: the key is still free and the next write creates it whole.
        proxy.failNext(Fault.CUT_BODY, 0);
        assertThat(viaProxy.putIfAbsent("k/~1", RECORD)).isTrue();
        assertThat(direct.get("k/~1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(RECORD));
    }

    @Test
    void aPutCutOffOnce_isRetried_andCreatesTheWholeObjectOnce() {
        proxy.failNext(Fault.CUT_BODY, 1);
        assertThat(viaProxy.putIfAbsent("k/~1", RECORD)).isTrue();
        assertThat(direct.get("k/~1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(RECORD));
        assertThat(viaProxy.putIfAbsent("k/~1", "another".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void aRetriedCreateWhoseFirstAttemptLanded_isReportedAsOurs() {
        // As when the response to a successful PUT is lost and the SDK retries: the retry finds the
        // key taken by identical bytes, which can only be this writer's (they carry a random write ID).
        assertThat(direct.putIfAbsent("k/~1", RECORD)).isTrue();
        assertThat(direct.putIfAbsent("k/~1", RECORD.clone())).isTrue();
        assertThat(direct.putIfAbsent("k/~1", "other bytes".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void unreachableServer_failsClearly_withinTheCallBudget() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (S3ObjectStore nowhere = S3ObjectStore.builder(S3StoreLocation.parse("s3://" + bucket + "?endpoint=http://127.0.0.1:" + closedPort
                + "&pathStyle=true")).credentials(S3ProxyServer.credentials()).maxAttempts(3).callTimeout(Duration.ofSeconds(20)).build()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> nowhere.putIfAbsent("k/~1", RECORD))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("could not write 'k/~1'")
                    .hasMessageContaining("127.0.0.1:" + closedPort)
                    .hasMessageContaining("attempts");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void refusedCredentials_failWithAHint_andTheSecretKeyNeverInTheMessage() {
        String canary = Canary.with("secret-key");
        try (S3ObjectStore wrong = S3ObjectStore.builder(S3StoreLocation.parse(s3.storeUri(bucket, null)))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, canary))).build()) {
            assertThatThrownBy(() -> wrong.get("k/~1"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("403")
                    .hasMessageContaining("s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket")
                    .satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t.getMessage())).doesNotContain(canary);
                        }
                    });
        }
    }
}
