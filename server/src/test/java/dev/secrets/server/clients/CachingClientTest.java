package dev.secrets.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.secretsmanager.caching.SecretCache;
import com.amazonaws.secretsmanager.caching.SecretCacheConfiguration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.testing.ServerFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * AWS's caching client {@code com.amazonaws.secretsmanager:aws-secretsmanager-caching-java} 2.0.0,
 * unchanged, on a real server: a {@link SecretCache} over an SDK v2 {@link SecretsManagerClient} built
 * with only {@code endpointOverride}, a region and an access key (as the client's README shows, with
 * the endpoint added), and a short {@code cacheItemTTL} set through {@link SecretCacheConfiguration}.
 * The cache serves its copy without asking the server until the TTL passes, then picks up a value
 * written through the server (PutSecretValue) and one rotated by the server (RotateSecret with the
 * {@code random-password} rotator). Its key may only read and describe, which is all the cache needs.
 */
class CachingClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The cache refreshes an item at its fetch plus a random time between half the TTL and the TTL (SecretCacheItem). */
    private static final long TTL_MILLIS = 3000;
    private static final Duration PICK_UP_BOUND = Duration.ofMillis(TTL_MILLIS).plusSeconds(7);
    static final String READ_AND_DESCRIBE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"secretsmanager:GetSecretValue\",\"secretsmanager:DescribeSecret\"],"
            + "\"Resource\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:app/*\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void cachedValue_isServedLocally_thenAWriteAndARotationThroughTheServerArePickedUpAfterTheTtl() throws Exception {
        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"))) {
            SecretsManagerClient admin = fx.sdk(fx.admin);
            admin.createSecret(b -> b.name("app/api-key").secretString("first-value"));
            AccessKeys.Pair appKey = fx.keys.create("app-cache", READ_AND_DESCRIBE);

            try (SecretsManagerClient sm = SecretsManagerClient.builder()
                    .endpointOverride(fx.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(appKey.accessKeyId(), appKey.secretAccessKey())))
                    .build();
                 SecretCache cache = new SecretCache(new SecretCacheConfiguration().withClient(sm).withCacheItemTTL(TTL_MILLIS))) {
                long fetched = System.nanoTime();
                assertThat(cache.getSecretString("app/api-key")).isEqualTo("first-value");

                // cached: many reads, no request reaches the server
                long getsBefore = served(fx, "GetSecretValue 200");
                long describesBefore = served(fx, "DescribeSecret 200");
                for (int i = 0; i < 200; i++) {
                    assertThat(cache.getSecretString("app/api-key")).isEqualTo("first-value");
                }
                long elapsedMillis = Duration.ofNanos(System.nanoTime() - fetched).toMillis();
                // The value is fetched once per version; the cache asks DescribeSecret at most once per TTL/2
                // (usually never within this loop, but a loaded machine may stretch it past TTL/2).
                assertThat(served(fx, "GetSecretValue 200")).isEqualTo(getsBefore);
                assertThat(served(fx, "DescribeSecret 200") - describesBefore).isLessThanOrEqualTo(elapsedMillis / (TTL_MILLIS / 2));

                // a new version written through the server; the cache keeps its copy until the TTL passes
                admin.putSecretValue(b -> b.secretId("app/api-key").secretString("second-value"));
                String right = cache.getSecretString("app/api-key");
                // (checked only when this read came before the earliest refresh, fetch + TTL/2, as it does unless the machine stalled)
                if (System.nanoTime() - fetched < Duration.ofMillis(TTL_MILLIS / 2 - 200).toNanos()) {
                    assertThat(right).as("read within half the TTL of the first fetch").isEqualTo("first-value");
                }
                Duration took = awaitValue(() -> cache.getSecretString("app/api-key"), "second-value");
                assertThat(took).isLessThan(PICK_UP_BOUND);

                // rotated by the server's own rotator (the "Lambda ARN" names it)
                var rotated = admin.rotateSecret(b -> b.secretId("app/api-key")
                        .rotationLambdaARN("arn:aws:lambda:us-east-1:000000000000:function:random-password")
                        .rotationRules(r -> r.automaticallyAfterDays(30L)));
                String rotatedValue = admin.getSecretValue(b -> b.secretId("app/api-key")).secretString();
                assertThat(admin.getSecretValue(b -> b.secretId("app/api-key")).versionId()).isEqualTo(rotated.versionId());
                assertThat(rotatedValue).isNotEqualTo("second-value").hasSize(32);
                awaitValue(() -> cache.getSecretString("app/api-key"), rotatedValue);

                // a missing secret: the SDK's own exception comes through the cache
                assertThatThrownBy(() -> cache.getSecretString("app/missing")).isInstanceOf(ResourceNotFoundException.class);
            }
        }
    }

    /** Polls (every 50 ms, bounded) until the cache answers {@code expected}; returns how long it took. */
    private static Duration awaitValue(Supplier<String> read, String expected) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + PICK_UP_BOUND.toNanos();
        String seen = read.get();
        while (!expected.equals(seen) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = read.get();
        }
        assertThat(seen).as("the cache picks up the server's new value within " + PICK_UP_BOUND).isEqualTo(expected);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Requests the server answered, by "ACTION STATUS", from its /metrics. */
    private long served(ServerFixture fx, String actionAndStatus) throws Exception {
        HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create(fx.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode metrics = JSON.readTree(m.body());
        return metrics.path("byActionAndStatus").path(actionAndStatus).asLong();
    }
}
