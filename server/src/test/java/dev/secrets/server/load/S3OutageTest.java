package dev.secrets.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.server.ServerConfig;
import dev.secrets.server.testing.ServerFixture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue #21, fault: the S3 server (s3proxy, keeping its objects on disk) stopped for 10 s while 8
 * SDK clients run the load mix through one server, then started again on the same port. Requests
 * during the outage fail with AWS's {@code ServiceUnavailableException} (HTTP 503, which the SDKs
 * retry) and nothing else; {@code /health} says DOWN; once s3proxy is back, requests succeed again
 * without touching the server; every acknowledged write is readable afterwards.
 */
class S3OutageTest {
    static final int CLIENTS = 8;
    static final int HOT = 4;
    static final int COLD = 100;

    @TempDir
    Path dir;

    @Test
    void s3StoppedTenSeconds_failsWith503_recoversByItself_losesNoAcknowledgedWrite() throws Exception {
        if (System.getProperty("aws.accessKeyId") == null) { // as S3ProxyServer.shared() does: the SDK's default chain
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
        }
        Path data = dir.resolve("s3");
        S3ProxyServer s3 = S3ProxyServer.filesystem(data, 0);
        int port = s3.port();
        s3.createBucket("outage");
        String store = s3.storeUri("outage", "secrets");
        MixedLoad.seed(store, HOT, COLD);
        List<SecretsManagerClient> clients = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (ServerFixture fx = ServerFixture.start(store, ServerConfig.builder().port(0).build(), null)) {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(fx.sdk(fx.admin));
            }
            HttpRequest health = HttpRequest.newBuilder(fx.endpoint().resolve("/health")).build();
            long start = System.nanoTime();
            CompletableFuture<MixedLoad.Result> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return MixedLoad.run(CLIENTS, clients::get, HOT, COLD, Duration.ofSeconds(30), 5, start);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(4_000);
            long stopped = System.nanoTime() - start;
            s3.stop();
            int healthDuring = http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode();
            long back = start + stopped + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < back) {
                Thread.sleep(Math.max(1, (back - System.nanoTime()) / 1_000_000));
            }
            long restarted = System.nanoTime() - start;
            s3 = S3ProxyServer.filesystem(data, port);
            MixedLoad.Result r = load.get(120, TimeUnit.SECONDS);
            int healthAfter = http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode();
            List<String> lost = MixedLoad.unreadable(r.acks, 8, clients::get);
            System.out.printf("S3OutageTest: s3proxy stopped at %.1f s, back at %.1f s; %d failures, first answered at %.1f s, last at %.1f s; "
                    + "types %s; %s; load average %s%n", stopped / 1e9, restarted / 1e9, r.failures.size(),
                    r.failures.isEmpty() ? 0 : r.failures.get(0).atNanos() / 1e9,
                    r.failures.isEmpty() ? 0 : r.failures.get(r.failures.size() - 1).atNanos() / 1e9,
                    r.failures.stream().map(f -> f.type() + " " + f.status()).distinct().toList(), r.summary(),
                    MixedLoad.loadAverage());

            assertThat(r.failures).as("requests during the outage fail").isNotEmpty();
            assertThat(r.failures).as("and only with ServiceUnavailableException, HTTP 503")
                    .allSatisfy(f -> {
                        assertThat(f.type()).isEqualTo("ServiceUnavailableException");
                        assertThat(f.status()).isEqualTo(503);
                    });
            long recovery = restarted + TimeUnit.SECONDS.toNanos(10);
            assertThat(r.failures).as("failures are answered after s3proxy stopped and within 10 s of its return (requests queued on a busy machine)")
                    .allSatisfy(f -> assertThat(f.atNanos()).isBetween(stopped, recovery));
            assertThat(r.nanos).as("the load ran on after the recovery bound").isGreaterThan(recovery + TimeUnit.SECONDS.toNanos(2));
            assertThat(healthDuring).isEqualTo(503);
            assertThat(healthAfter).isEqualTo(200);
            assertThat(r.acks).isNotEmpty();
            assertThat(lost).as("acknowledged writes not readable by their version ID").isEmpty();
            String v = clients.get(0).putSecretValue(b -> b.secretId(MixedLoad.COLD + 0).secretString("{\"password\":\"after\"}"))
                    .versionId();
            assertThat(clients.get(1).getSecretValue(b -> b.secretId(MixedLoad.COLD + 0).versionId(v)).secretString())
                    .isEqualTo("{\"password\":\"after\"}");
        } finally {
            s3.stop();
        }
    }
}
