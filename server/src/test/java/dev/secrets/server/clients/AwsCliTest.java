package dev.secrets.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.testing.ServerFixture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI v2 (Debian package {@code awscli}), unchanged, against a real server: configured only
 * with {@code --endpoint-url}, a region and an access key in the environment variables its
 * documentation names. Checks the values printed (including {@code --query} output) and the error
 * messages for a missing secret and a denied action. Run on the file store and once on s3proxy.
 */
class AwsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"secretsmanager:GetSecretValue\",\"secretsmanager:DescribeSecret\"],\"Resource\":\"*\"}]}";

    @TempDir
    Path dir;

    @Test
    void theIssuesSequence_onTheFileStore() throws Exception {
        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"))) {
            sequence(fx);
        }
    }

    @Test
    void theIssuesSequence_onS3proxy() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.shared();
        try (ServerFixture fx = ServerFixture.start(s3.storeUri(s3.newBucket(), "secrets"))) {
            sequence(fx);
        }
    }

    private void sequence(ServerFixture fx) throws Exception {
        Path aws = ExternalClient.require("AWS CLI v2 (Debian package awscli)", "/usr/bin/aws", "/usr/local/bin/aws");
        ExternalClient cli = cli(aws, fx.admin);
        assertThat(cli.ok("--version").out()).startsWith("aws-cli/2.");
        String ep = fx.endpoint().toString();

        String arn = cli.ok("secretsmanager", "create-secret", "--endpoint-url", ep, "--name", "app/db",
                "--secret-string", "{\"password\":\"first\"}", "--description", "the app's db",
                "--query", "ARN", "--output", "text").out();
        assertThat(arn).matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-[A-Za-z0-9]{6}");
        String v1 = cli.ok("secretsmanager", "describe-secret", "--endpoint-url", ep, "--secret-id", arn,
                "--query", "keys(VersionIdsToStages)[0]", "--output", "text").out();

        assertThat(cli.ok("secretsmanager", "get-secret-value", "--endpoint-url", ep, "--secret-id", "app/db",
                "--query", "SecretString", "--output", "text").out()).isEqualTo("{\"password\":\"first\"}");

        JsonNode put = json(cli.ok("secretsmanager", "put-secret-value", "--endpoint-url", ep, "--secret-id", "app/db",
                "--secret-string", "{\"password\":\"second\"}"));
        String v2 = put.get("VersionId").asText();
        assertThat(put.get("ARN").asText()).isEqualTo(arn);
        assertThat(put.get("VersionStages").toString()).isEqualTo("[\"AWSCURRENT\"]");
        assertThat(v2).isNotEqualTo(v1);

        assertThat(cli.ok("secretsmanager", "list-secrets", "--endpoint-url", ep,
                "--query", "SecretList[?Name=='app/db'].[Name,Description]", "--output", "text").out())
                .isEqualTo("app/db\tthe app's db");

        JsonNode described = json(cli.ok("secretsmanager", "describe-secret", "--endpoint-url", ep, "--secret-id", "app/db"));
        assertThat(described.get("Name").asText()).isEqualTo("app/db");
        assertThat(described.get("VersionIdsToStages").get(v2).toString()).isEqualTo("[\"AWSCURRENT\"]");
        assertThat(described.get("VersionIdsToStages").get(v1).toString()).isEqualTo("[\"AWSPREVIOUS\"]");

        // roll back by moving AWSCURRENT to the first version
        cli.ok("secretsmanager", "update-secret-version-stage", "--endpoint-url", ep, "--secret-id", "app/db",
                "--version-stage", "AWSCURRENT", "--move-to-version-id", v1, "--remove-from-version-id", v2);
        assertThat(cli.ok("secretsmanager", "get-secret-value", "--endpoint-url", ep, "--secret-id", "app/db",
                "--query", "[VersionId,SecretString]", "--output", "text").out())
                .isEqualTo(v1 + "\t{\"password\":\"first\"}");
        assertThat(cli.ok("secretsmanager", "get-secret-value", "--endpoint-url", ep, "--secret-id", "app/db",
                "--version-stage", "AWSPREVIOUS", "--query", "SecretString", "--output", "text").out())
                .isEqualTo("{\"password\":\"second\"}");

        JsonNode deleted = json(cli.ok("secretsmanager", "delete-secret", "--endpoint-url", ep, "--secret-id", "app/db",
                "--recovery-window-in-days", "7"));
        assertThat(deleted.get("Name").asText()).isEqualTo("app/db");
        assertThat(deleted.has("DeletionDate")).isTrue();
        ExternalClient.Result whileDeleted = cli.run("secretsmanager", "get-secret-value", "--endpoint-url", ep,
                "--secret-id", "app/db");
        assertThat(whileDeleted.exitCode()).isEqualTo(254);
        assertThat(whileDeleted.stderr()).contains("An error occurred (InvalidRequestException) when calling the GetSecretValue operation");

        assertThat(cli.ok("secretsmanager", "restore-secret", "--endpoint-url", ep, "--secret-id", "app/db",
                "--query", "Name", "--output", "text").out()).isEqualTo("app/db");
        assertThat(cli.ok("secretsmanager", "get-secret-value", "--endpoint-url", ep, "--secret-id", "app/db",
                "--query", "SecretString", "--output", "text").out()).isEqualTo("{\"password\":\"first\"}");

        String password = cli.ok("secretsmanager", "get-random-password", "--endpoint-url", ep,
                "--password-length", "24", "--exclude-punctuation", "--query", "RandomPassword", "--output", "text").out();
        assertThat(password).hasSize(24).matches("[A-Za-z0-9]{24}");

        ExternalClient.Result missing = cli.run("secretsmanager", "get-secret-value", "--endpoint-url", ep,
                "--secret-id", "app/nope");
        assertThat(missing.exitCode()).isEqualTo(254);
        // AWS_MAX_ATTEMPTS=1 makes the CLI add "(reached max retries: 0)" before the colon
        assertThat(missing.stderr()).contains("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation")
                .contains("Secrets Manager can't find the specified secret.");
        assertThat(missing.stdout()).isEmpty();

        ExternalClient reader = cli(aws, fx.keys.create("reader", READ_ONLY));
        assertThat(reader.ok("secretsmanager", "get-secret-value", "--endpoint-url", ep, "--secret-id", "app/db",
                "--query", "SecretString", "--output", "text").out()).isEqualTo("{\"password\":\"first\"}");
        ExternalClient.Result denied = reader.run("secretsmanager", "put-secret-value", "--endpoint-url", ep,
                "--secret-id", "app/db", "--secret-string", "nope");
        assertThat(denied.exitCode()).isEqualTo(254);
        assertThat(denied.stderr()).contains("An error occurred (AccessDeniedException) when calling the PutSecretValue operation")
                .contains("is not authorized to perform: secretsmanager:PutSecretValue");
        assertThat(cli.ok("secretsmanager", "get-secret-value", "--endpoint-url", ep, "--secret-id", "app/db",
                "--query", "SecretString", "--output", "text").out()).isEqualTo("{\"password\":\"first\"}");

        ExternalClient.Result wrongKey = cli(aws, new AccessKeys.Pair(fx.admin.accessKeyId(), "admin", "x".repeat(40)))
                .run("secretsmanager", "list-secrets", "--endpoint-url", ep);
        assertThat(wrongKey.exitCode()).isEqualTo(254);
        assertThat(wrongKey.stderr()).contains("(InvalidSignatureException)");
    }

    private ExternalClient cli(Path aws, AccessKeys.Pair key) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        env.put("AWS_PAGER", "");
        env.put("AWS_MAX_ATTEMPTS", "1");
        return new ExternalClient(aws, env, dir);
    }

    private static JsonNode json(ExternalClient.Result r) throws Exception {
        return JSON.readTree(r.stdout());
    }
}
