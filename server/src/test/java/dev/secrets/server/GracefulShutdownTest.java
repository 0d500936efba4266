package dev.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.server.testing.ServerFixture;
import dev.secrets.testing.IsolatedConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Closing the server lets a request in flight finish with its answer, and only then stops. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void close_finishesTheRequestInFlight() throws Exception {
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The audit sink holds the read of "slow" half-way, as a slow store would.
        try (SecretsClient client = SecretsClient.builder().config(IsolatedConfig.get()).store("file:" + dir.resolve("store"))
                .masterKey("default", ServerFixture.masterKey()).cacheTtl(Duration.ZERO).auditSink(e -> {
                    if (e.action().equals("secret.read") && "slow".equals(e.secretId())) {
                        inRead.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build()) {
            client.createSecret(CreateSecretRequest.of("slow", SecretKind.GENERIC, SecretValue.ofText("patience")));
            AccessKeys.Pair key = new AccessKeys(client).create("k", ServerFixture.ALLOW_ALL);
            SecretsServer server = SecretsServer.start(client, ServerConfig.builder().port(0).accessKeyTtl(Duration.ZERO).build());
            URI endpoint = server.endpoint();
            try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                            key.secretAccessKey()))).build()) {
                CompletableFuture<String> answer = CompletableFuture.supplyAsync(
                        () -> sm.getSecretValue(b -> b.secretId("slow")).secretString());
                assertThat(inRead.await(60, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
                Thread.sleep(200); // give close() the chance to (wrongly) stop before the request is done
                assertThat(closing).isNotDone();
                release.countDown();
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo("patience");
                closing.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
