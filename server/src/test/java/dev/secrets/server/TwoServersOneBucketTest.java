package dev.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.server.testing.ServerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * Two servers on one S3 bucket (s3proxy), as behind a load balancer: a write through one is read
 * through the other, with the same ARN; 4 clients writing and moving labels through both at once
 * lose nothing.
 */
class TwoServersOneBucketTest {
    private ServerFixture a;
    private ServerFixture b;
    private SecretsManagerClient viaA;
    private SecretsManagerClient viaB;

    @BeforeEach
    void start() {
        S3ProxyServer s3 = S3ProxyServer.shared();
        String uri = s3.storeUri(s3.newBucket(), "shared");
        // No value cache: each server reads the store on every request, as instances behind a
        // load balancer should be configured when clients need read-after-write across them.
        a = ServerFixture.start(uri, Duration.ZERO);
        b = ServerFixture.start(uri, Duration.ZERO);
        viaA = a.sdk(a.admin);
        viaB = b.sdk(a.admin); // the key made through A's store is B's too
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void writeThroughOne_isReadThroughTheOther_withTheSameArn() {
        String arn = viaA.createSecret(r -> r.name("shared/db").secretString("one")).arn();
        assertThat(viaB.getSecretValue(r -> r.secretId("shared/db")).secretString()).isEqualTo("one");
        assertThat(viaB.describeSecret(r -> r.secretId("shared/db")).arn()).isEqualTo(arn);
        viaB.putSecretValue(r -> r.secretId(arn).secretString("two"));
        assertThat(viaA.getSecretValue(r -> r.secretId(arn)).secretString()).isEqualTo("two");
        assertThat(viaA.getSecretValue(r -> r.secretId("shared/db").versionStage("AWSPREVIOUS")).secretString()).isEqualTo("one");
    }

    @Test
    void fourClients_writingAndMovingLabelsThroughBoth_loseNothing() throws Exception {
        viaA.createSecret(r -> r.name("shared/busy").secretString("start"));
        int clients = 4;
        int writes = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<String>>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> {
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < writes; i++) {
                    SecretsManagerClient sm = (client + i) % 2 == 0 ? viaA : viaB;
                    String token = "c" + client + "-w" + i + "-" + "0".repeat(28);
                    sm.putSecretValue(r -> r.secretId("shared/busy").secretString("value " + token).clientRequestToken(token));
                    tokens.add(token);
                    String label = "client-" + client;
                    DescribeSecretResponse d = sm.describeSecret(r -> r.secretId("shared/busy"));
                    String holder = d.versionIdsToStages().entrySet().stream().filter(e -> e.getValue().contains(label))
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                    sm.updateSecretVersionStage(r -> r.secretId("shared/busy").versionStage(label).moveToVersionId(token)
                            .removeFromVersionId(holder));
                }
                return tokens;
            }));
        }
        Set<String> written = new HashSet<>();
        for (Future<List<String>> f : done) {
            written.addAll(f.get());
        }
        pool.shutdown();
        Set<String> stored = new HashSet<>();
        viaB.listSecretVersionIds(r -> r.secretId("shared/busy").includeDeprecated(true)).versions()
                .forEach(v -> stored.add(v.versionId()));
        assertThat(stored).containsAll(written);
        for (String token : written) {
            assertThat(viaA.getSecretValue(r -> r.secretId("shared/busy").versionId(token)).secretString()).isEqualTo("value " + token);
        }
        DescribeSecretResponse d = viaA.describeSecret(r -> r.secretId("shared/busy"));
        for (int c = 0; c < clients; c++) {
            String last = "c" + c + "-w" + (writes - 1) + "-" + "0".repeat(28);
            assertThat(d.versionIdsToStages().get(last)).contains("client-" + c);
        }
        String current = viaB.getSecretValue(r -> r.secretId("shared/busy")).versionId();
        assertThat(written).contains(current);
    }
}
