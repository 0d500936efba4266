package dev.secrets.s3;

import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.s3.testing.S3ProxyExtension;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.OneSecretHammer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link OneSecretHammer} on a real s3proxy, with the S3 SDK's retries off (one attempt per request,
 * as when the hammer first reported a missing secret): a listing taken while a write compacts the
 * record log must never be read as "no secret", and no acknowledged version is lost.
 */
@ExtendWith(S3ProxyExtension.class)
class S3OneSecretHammerTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @RepeatedTest(3)
    void concurrentPutsAndReadsOfOneSecret_withoutSdkRetries_neverSeeItMissing_norLoseAVersion(S3ProxyServer s3) throws Exception {
        String uri = s3.newStoreUri();
        String outcome = new OneSecretHammer(() -> SecretsClient.builder()
                .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build())
                .store(s3.storeBuilder(uri).maxAttempts(1).build()).masterKey("default", KEY).cacheTtl(Duration.ZERO).build())
                .shape(3, 3, 11, 2).run();
        System.out.println("s3proxy hammer: " + outcome);
    }
}
