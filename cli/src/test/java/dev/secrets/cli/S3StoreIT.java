package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.s3.testing.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a real process on an S3 store (the shared embedded s3proxy): the same commands, the same results. */
class S3StoreIT {
    private static final String CANARY = "s3-canary-Qm2pL0";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyStepOfASecretsLife_worksOnAnS3Store() throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        String store = server.newStoreUri();
        CliProcess cli = new CliProcess(dir).env("SECRETS_STORE", store);
        S3ProxyServer.credentialsEnvironment().forEach(cli::env);

        CliProcess.Result init = cli.run("init", "--generate-key", "master.key");
        assertThat(init.status()).as(init.toString()).isZero();
        cli.env("SECRETS_KEY", "file:master.key");

        CliProcess.Result created = cli.run("create", "s3/db", "--kind", "database",
                "--json", "{\"username\":\"app\",\"password\":\"" + CANARY + "-1\"}", "-o", "json");
        assertThat(created.status()).as(created.toString()).isZero();
        String v1 = JSON.readTree(created.out()).path("versionId").asText();
        assertThat(cli.runWithInput("{\"username\":\"app\",\"password\":\"" + CANARY + "-2\"}", "put", "s3/db").status()).isZero();

        CliProcess.Result field = cli.run("get", "s3/db", "--field", "password");
        assertThat(field.out()).isEqualTo(CANARY + "-2\n");
        assertThat(cli.run("get", "s3/db", "--label", "PREVIOUS", "--field", "password").out()).isEqualTo(CANARY + "-1\n");

        assertThat(cli.run("label", "s3/db", "CURRENT", v1).status()).isZero();
        JsonNode versions = JSON.readTree(cli.run("versions", "s3/db", "--json").out());
        assertThat(versions.get(1).path("versionId").asText()).isEqualTo(v1);
        assertThat(versions.get(1).path("labels").toString()).isEqualTo("[\"CURRENT\"]");

        JsonNode list = JSON.readTree(cli.run("list", "--json").out());
        assertThat(list.findValuesAsText("id")).containsExactly("s3/db");
        assertThat(list.toString()).doesNotContain(CANARY);

        CliProcess.Result deleted = cli.run("delete", "s3/db", "--force");
        assertThat(deleted.status()).isZero();
        CliProcess.Result gone = cli.run("get", "s3/db");
        assertThat(gone.status()).isEqualTo(Main.NOT_FOUND);
        assertThat(gone.err()).isEqualTo("secrets: secret 's3/db' does not exist\n");
    }
}
