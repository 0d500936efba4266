package dev.secrets.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.testing.ServerFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * boto3 (Debian package {@code python3-boto3}), unchanged, from a Python script
 * ({@code clients/boto3_sequence.py}) against a real server, on the file store and once on s3proxy: the sequence,
 * a missing secret, a denied action, and boto3's own paginator over 150 secrets.
 */
class Boto3Test {
    @TempDir
    Path dir;

    @Test
    void theSequenceAndPagingOver150Secrets_onTheFileStore() throws Exception {
        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"))) {
            sequence(fx);
        }
    }

    @Test
    void theSequenceAndPagingOver150Secrets_onS3proxy() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.shared();
        try (ServerFixture fx = ServerFixture.start(s3.storeUri(s3.newBucket(), "secrets"))) {
            sequence(fx);
        }
    }

    private void sequence(ServerFixture fx) throws Exception {
        Path python = ExternalClient.require("Python 3 with boto3 (Debian package python3-boto3)", "/usr/bin/python3");
        Path script = dir.resolve("boto3_sequence.py");
        try (InputStream in = Boto3Test.class.getResourceAsStream("/clients/boto3_sequence.py")) {
            Files.copy(in, script);
        }
        {
            AccessKeys.Pair reader = fx.keys.create("reader", AwsCliTest.READ_ONLY);
            Map<String, String> env = new HashMap<>();
            env.put("PATH", "/usr/bin:/bin");
            env.put("HOME", dir.toString());
            env.put("SECRETS_ENDPOINT", fx.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", fx.admin.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", fx.admin.secretAccessKey());
            env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
            env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
            env.put("READER_KEY_ID", reader.accessKeyId());
            env.put("READER_SECRET_KEY", reader.secretAccessKey());
            ExternalClient.Result r = new ExternalClient(python, env, dir).ok(script.toString());
            JsonNode seen = new ObjectMapper().readTree(r.stdout());

            assertThat(seen.get("created_arn").asText())
                    .matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:py/app-[A-Za-z0-9]{6}");
            assertThat(seen.get("get1").asText()).isEqualTo("{\"password\":\"first\"}");
            assertThat(seen.get("put_stages").toString()).isEqualTo("[\"AWSCURRENT\"]");
            assertThat(seen.get("get2").asText()).isEqualTo("{\"password\":\"second\"}");
            JsonNode d = seen.get("describe");
            assertThat(d.get("name").asText()).isEqualTo("py/app");
            assertThat(d.get("description").asText()).isEqualTo("py app");
            assertThat(d.get("tags").toString()).isEqualTo("[{\"Key\":\"team\",\"Value\":\"py\"}]");
            assertThat(d.get("stages_v1").toString()).isEqualTo("[\"AWSPREVIOUS\"]");
            assertThat(d.get("stages_v2").toString()).isEqualTo("[\"AWSCURRENT\"]");
            assertThat(d.get("last_changed_is_datetime").asText()).isEqualTo("datetime");
            assertThat(seen.get("after_rollback").get("value").asText()).isEqualTo("{\"password\":\"first\"}");
            assertThat(seen.get("after_rollback").get("is_v1").asBoolean()).isTrue();
            assertThat(seen.get("deletion_date_type").asText()).isEqualTo("datetime");
            assertThat(seen.get("get_while_deleted").get("code").asText()).isEqualTo("InvalidRequestException");
            assertThat(seen.get("get_while_deleted").get("status").asInt()).isEqualTo(400);
            assertThat(seen.get("after_restore").asText()).isEqualTo("{\"password\":\"first\"}");
            assertThat(seen.get("random").asText()).matches("[A-Za-z0-9]{32}");
            assertThat(seen.get("missing").get("code").asText()).isEqualTo("ResourceNotFoundException");
            assertThat(seen.get("missing").get("status").asInt()).isEqualTo(400);
            assertThat(seen.get("missing").get("message").asText()).isNotBlank();
            assertThat(seen.get("reader_get").asText()).isEqualTo("{\"password\":\"first\"}");
            assertThat(seen.get("reader_put").get("code").asText()).isEqualTo("AccessDeniedException");
            assertThat(seen.get("after_denied").asText()).isEqualTo("{\"password\":\"first\"}");
            JsonNode paged = seen.get("paged");
            assertThat(paged.get("count").asInt()).isEqualTo(150);
            assertThat(paged.get("distinct").asInt()).isEqualTo(150);
            assertThat(paged.get("all").asBoolean()).isTrue();
            assertThat(paged.get("pages").asInt()).isEqualTo(8); // 7 pages of 20 and one of 10
        }
    }
}
