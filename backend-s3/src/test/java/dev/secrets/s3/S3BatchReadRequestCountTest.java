package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.BatchGetResult;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.s3.testing.RequestCounter;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.IsolatedConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What a batch read costs in S3 requests, counted by an SDK interceptor on a real s3proxy: one
 * listing for the whole batch and one GET per secret found — not a LIST and a GET per ID.
 */
class S3BatchReadRequestCountTest {
    private static final byte[] KEY = key();

    private static byte[] key() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 9);
        return k;
    }

    @Test
    void aBatchReadOf20Ids_costsOneListing_andOneGetPerSecretFound() {
        S3ProxyServer s3 = S3ProxyServer.shared();
        String uri = s3.newStoreUri();
        List<String> ids = new ArrayList<>();
        try (SecretsClient writer = SecretsClient.builder().config(IsolatedConfig.get()).store(s3.storeBuilder(uri).build())
                .masterKey("default", KEY).build()) {
            for (int i = 0; i < 20; i++) {
                String id = String.format("prod/app/s%02d", i);
                ids.add(id);
                if (i % 7 != 3) {
                    writer.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText("v" + i)));
                }
            }
            writer.createSecret(CreateSecretRequest.of("other/x", SecretKind.GENERIC, SecretValue.ofText("x")));
        }
        RequestCounter counter = new RequestCounter();
        try (SecretsClient reader = SecretsClient.builder().config(IsolatedConfig.get()).store(s3.storeBuilder(uri).addInterceptor(counter).build())
                .masterKey("default", KEY).build()) {
            reader.getSecretValue("other/x"); // the once-per-process reads (store identity, keyring)
            counter.reset();

            BatchGetResult r = reader.getSecretValues(ids);

            assertThat(r.values()).hasSize(17);
            assertThat(r.errors()).hasSize(3);
            Map<String, Integer> counts = new TreeMap<>(counter.snapshot());
            counts.keySet().removeIf(k -> k.endsWith("(access)"));
            System.out.println("batch read of 20 IDs (17 found): " + counter.snapshot());
            // Reading each alone: 20 LISTs + 17 GETs.
            assertThat(counts).isEqualTo(Map.of("ListObjectsV2", 1, "GetObject", 17));

            counter.reset();
            reader.getSecretValues(ids);
            assertThat(counter.snapshot()).isEqualTo(Map.of("ListObjectsV2", 1, "GetObject", 17));
        }
    }
}
