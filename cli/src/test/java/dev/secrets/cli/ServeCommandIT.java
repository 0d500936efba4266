package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * {@code secrets server access-key} and {@code secrets serve} from the built jar: a key made by the
 * CLI signs the unchanged AWS SDK's requests to the served store; what the SDK wrote the CLI (the
 * library) reads, and the reverse; a disabled key is refused; SIGTERM stops the server.
 */
class ServeCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void accessKeyFromTheCli_signsSdkRequests_toTheServedStore() throws Exception {
        CliProcess bare = new CliProcess(dir);
        assertThat(bare.run("--store", "file:store", "init", "--generate-key", "master.key").status()).isZero();
        CliProcess cli = new CliProcess(dir).env("SECRETS_STORE", "file:store").env("SECRETS_KEY", "file:master.key");
        Files.writeString(dir.resolve("policy.json"), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"secretsmanager:*\",\"Resource\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:app/*\"}]}");
        CliProcess.Result created = cli.run("server", "access-key", "create", "app", "--policy", "policy.json", "--json");
        assertThat(created.status()).as(created.toString()).isZero();
        JsonNode pair = JSON.readTree(created.out());
        String id = pair.get("accessKeyId").asText();
        String secret = pair.get("secretAccessKey").asText();
        assertThat(id).matches("SKIA[A-Z2-7]{16}");
        assertThat(secret).hasSize(40);
        CliProcess.Result list = cli.run("server", "access-key", "list");
        assertThat(list.out()).contains("app\t" + id + "\tenabled").doesNotContain(secret);
        assertThat(cli.run("server", "access-key", "create", "bad", "--policy", "master.key").status()).isEqualTo(1);
        assertThat(cli.run("--store", "file:store", "--key", "file:master.key", "create", "app/from-cli", "--value", "written-by-cli")
                .status()).isZero();

        List<String> cmd = CliProcess.javaCommand();
        cmd.addAll(List.of("serve", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SECRETS_"));
        pb.environment().put("SECRETS_STORE", "file:store");
        pb.environment().put("SECRETS_KEY", "file:master.key");
        pb.environment().put("SECRETS_SERVER_ACCESS_KEY_TTL", "0s");
        Process server = pb.start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
            String line = err.readLine();
            Matcher m = Pattern.compile("listening on (http://\\S+)").matcher(line == null ? "" : line);
            assertThat(m.find()).as("first line of serve: " + line).isTrue();
            try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(URI.create(m.group(1)))
                    .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret))).build()) {
                assertThat(sm.getSecretValue(b -> b.secretId("app/from-cli")).secretString()).isEqualTo("written-by-cli");
                sm.createSecret(b -> b.name("app/from-sdk").secretString("written-by-sdk"));
                CliProcess.Result get = cli.run("get", "app/from-sdk");
                assertThat(get.out().trim()).isEqualTo("written-by-sdk");
                assertThat(cli.run("server", "access-key", "disable", "app").status()).isZero();
                try {
                    sm.getSecretValue(b -> b.secretId("app/from-cli"));
                    throw new AssertionError("a disabled key was accepted");
                } catch (SecretsManagerException e) {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                }
            }
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook stops the server and closes the store
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(cli.run("server", "access-key", "delete", "app").status()).isZero();
        assertThat(cli.run("server", "access-key", "list").out()).doesNotContain(id);
        assertThat(cli.run("server", "access-key", "rotate", "app").status()).isEqualTo(Main.NOT_FOUND);
    }
}
