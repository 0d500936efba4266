package dev.secrets.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.server.testing.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK for JavaScript v3 {@code @aws-sdk/client-secrets-manager} (the version pinned in
 * {@code src/test/js/package.json} and its lock file, installed by {@code npm ci} from npm), unchanged,
 * under Node.js against a real server, on the file store and once on s3proxy: create, get, batch get, list (paginated).
 */
class JsSdkTest {
    private static boolean installed;

    @TempDir
    Path dir;

    @Test
    void createGetBatchGetList_onTheFileStore() throws Exception {
        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"))) {
            sequence(fx);
        }
    }

    @Test
    void createGetBatchGetList_onS3proxy() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.shared();
        try (ServerFixture fx = ServerFixture.start(s3.storeUri(s3.newBucket(), "secrets"))) {
            sequence(fx);
        }
    }

    private void sequence(ServerFixture fx) throws Exception {
        Path node = ExternalClient.require("Node.js", "/usr/bin/node", "/usr/local/bin/node");
        Path npm = ExternalClient.require("npm", "/usr/bin/npm", "/usr/local/bin/npm");
        Path work = Path.of("target", "js-client").toAbsolutePath();
        Files.createDirectories(work);
        for (String f : new String[] {"package.json", "package-lock.json", "sequence.mjs"}) {
            Files.copy(Path.of("src", "test", "js", f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, String> npmEnv = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            String l = k.toLowerCase(java.util.Locale.ROOT);
            if (l.endsWith("_proxy") || l.startsWith("npm_config_")) {
                npmEnv.put(k, v);
            }
        });
        npmEnv.put("PATH", node.getParent() + ":/usr/bin:/bin");
        npmEnv.put("HOME", System.getProperty("user.home"));
        if (!installed) { // once per run: both stores use the same installed SDK
            new ExternalClient(npm, npmEnv, work).ok("ci", "--no-audit", "--no-fund");
            installed = true;
        }

        {
            Map<String, String> env = new HashMap<>();
            env.put("PATH", node.getParent() + ":/usr/bin:/bin");
            env.put("HOME", dir.toString());
            env.put("SECRETS_ENDPOINT", fx.endpoint().toString());
            env.put("KEY_ID", fx.admin.accessKeyId());
            env.put("SECRET_KEY", fx.admin.secretAccessKey());
            ExternalClient.Result r = new ExternalClient(node, env, work).ok("sequence.mjs");
            JsonNode seen = new ObjectMapper().readTree(r.stdout());

            assertThat(seen.get("createdArn").asText())
                    .matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:js/app-[A-Za-z0-9]{6}");
            assertThat(seen.get("get").get("value").asText()).isEqualTo("{\"user\":\"js\",\"password\":\"p1\"}");
            assertThat(seen.get("get").get("stages").toString()).isEqualTo("[\"AWSCURRENT\"]");
            assertThat(seen.get("get").get("createdIsDate").asBoolean()).isTrue();
            assertThat(seen.get("get").get("sameVersion").asBoolean()).isTrue();
            assertThat(seen.get("batch").get("values").toString())
                    .isEqualTo("[\"js/app={\\\"user\\\":\\\"js\\\",\\\"password\\\":\\\"p1\\\"}\",\"js/other=0,1,2,255\"]");
            assertThat(seen.get("batch").get("errors").toString()).isEqualTo("[\"js/missing:ResourceNotFoundException\"]");
            assertThat(seen.get("listed").toString()).isEqualTo("[\"js/app\",\"js/other\"]");
            assertThat(seen.get("missing").get("name").asText()).isEqualTo("ResourceNotFoundException");
            assertThat(seen.get("missing").get("status").asInt()).isEqualTo(400);
            assertThat(seen.get("listAllHasApp").asBoolean()).isTrue();
        }
    }
}
