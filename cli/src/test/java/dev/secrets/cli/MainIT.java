package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar run as a real process, end to end on a file store: every command's output and
 * exit status, {@code --json} parsed back, bad usage, and no value anywhere but {@code get}'s
 * standard output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MainIT {
    private static final String CANARY = "canary-Zq8vX3-do-not-print";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private CliProcess cli;
    /** Outputs that must never hold a value: all of stderr, stdout of every command but get. */
    private final List<String> mustNotHoldValues = new ArrayList<>();

    @BeforeAll
    void initStore() {
        CliProcess bare = new CliProcess(dir);
        CliProcess.Result init = record("init", bare.run("--store", "file:store", "init", "--generate-key", "master.key"));
        assertThat(init.status()).as(init.toString()).isZero();
        assertThat(init.out()).contains("store file:store is ready").contains("master.key");
        cli = new CliProcess(dir).env("SECRETS_STORE", "file:store").env("SECRETS_KEY", "file:master.key");
    }

    @AfterAll
    void noValueOutsideGetStdout() {
        assertThat(mustNotHoldValues).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotContain(CANARY));
    }

    private CliProcess.Result record(String command, CliProcess.Result r) {
        if (!command.equals("get")) {
            mustNotHoldValues.add(r.out());
        }
        mustNotHoldValues.add(r.err());
        return r;
    }

    private CliProcess.Result ok(String... args) {
        return okWithInput(null, args);
    }

    private CliProcess.Result okWithInput(String stdin, String... args) {
        CliProcess.Result r = record(args[0], cli.runWithInput(stdin, args));
        assertThat(r.status()).as(r.toString()).isZero();
        return r;
    }

    private CliProcess.Result fails(int status, String... args) {
        CliProcess.Result r = record(args.length == 0 ? "" : args[0], cli.run(args));
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertOneClearLine(r);
        return r;
    }

    private static void assertOneClearLine(CliProcess.Result r) {
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("secrets: ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static JsonNode json(CliProcess.Result r) throws IOException {
        return JSON.readTree(r.out());
    }

    @Test
    void initGeneratesAKeyFileOnlyItsOwnerCanRead() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.key")))).isEqualTo("rw-------");
        CliProcess.Result again = ok("init", "--json");
        assertThat(json(again).path("keyName").asText()).isEqualTo("default");
        assertThat(json(again).path("storeId").asText()).isNotBlank();
    }

    @Test
    void createThenGet_printsTheValueOnlyOnStdout() throws IOException {
        CliProcess.Result created = ok("create", "it/db", "--kind", "database", "--description", "the app's database",
                "--tag", "team=payments", "--json", "{\"username\":\"app\",\"password\":\"" + CANARY + "\",\"port\":5432}",
                "-o", "json");
        JsonNode c = json(created);
        assertThat(c.path("id").asText()).isEqualTo("it/db");
        assertThat(c.path("kind").asText()).isEqualTo("database");
        String v1 = c.path("versionId").asText();

        assertThat(ok("get", "it/db", "--field", "password").out()).isEqualTo(CANARY + "\n");
        JsonNode got = json(ok("get", "it/db", "--json"));
        assertThat(got.path("versionId").asText()).isEqualTo(v1);
        assertThat(got.path("type").asText()).isEqualTo("key-value");
        assertThat(got.path("labels").get(0).asText()).isEqualTo("CURRENT");
        assertThat(got.path("value").path("username").asText()).isEqualTo("app");
        assertThat(got.path("value").path("port").asInt()).isEqualTo(5432);
        assertThat(json(ok("get", "it/db")).path("password").asText()).isEqualTo(CANARY);
    }

    @Test
    void putFromStdin_makesANewCurrentAndThePreviousOneStaysReadable() throws IOException {
        String v1 = json(okWithInput(CANARY + "-1\n", "create", "it/token", "-o", "json")).path("versionId").asText();
        CliProcess.Result put = okWithInput(CANARY + "-2\n", "put", "it/token");
        assertThat(put.out()).startsWith("stored version ").contains("with labels CURRENT");

        assertThat(ok("get", "it/token").out()).isEqualTo(CANARY + "-2\n");
        assertThat(ok("get", "it/token", "--label", "PREVIOUS").out()).isEqualTo(CANARY + "-1\n");
        assertThat(ok("get", "it/token", "--version-id", v1).out()).isEqualTo(CANARY + "-1\n");

        JsonNode versions = json(ok("versions", "it/token", "--json"));
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("labels").toString()).isEqualTo("[\"CURRENT\"]");
        assertThat(versions.get(1).path("versionId").asText()).isEqualTo(v1);
        assertThat(versions.get(1).path("labels").toString()).isEqualTo("[\"PREVIOUS\"]");
        assertThat(ok("versions", "it/token").out()).contains("VERSION ID").contains(v1).contains("PREVIOUS");
    }

    @Test
    void labelMovesCurrentBackToAnOlderVersion() throws IOException {
        String v1 = json(ok("create", "it/rollback", "--value", CANARY + "-a", "-o", "json")).path("versionId").asText();
        ok("put", "it/rollback", "--value", CANARY + "-b");

        assertThat(ok("label", "it/rollback", "CURRENT", v1).out()).isEqualTo("moved label CURRENT of it/rollback to version " + v1 + "\n");
        assertThat(ok("get", "it/rollback").out()).isEqualTo(CANARY + "-a\n");
        ok("label", "it/rollback", "blue", v1);
        ok("label", "it/rollback", "blue", "--remove");
        JsonNode d = json(ok("describe", "it/rollback", "--json"));
        assertThat(d.path("versions").findValuesAsText("versionId")).hasSize(2);
        assertThat(d.toString()).doesNotContain("blue");
    }

    @Test
    void describeAndList_showMetadataAsTextAndJson() throws IOException {
        ok("create", "it/list/a", "--tag", "env=prod", "--tag", "team=x", "--value", CANARY);
        ok("create", "it/list/b", "--tag", "env=dev", "--no-value");

        JsonNode d = json(ok("describe", "it/list/a", "--json"));
        assertThat(d.path("id").asText()).isEqualTo("it/list/a");
        assertThat(d.path("kind").asText()).isEqualTo("generic");
        assertThat(d.path("tags").path("env").asText()).isEqualTo("prod");
        assertThat(d.path("keyName").asText()).isEqualTo("default");
        assertThat(d.path("created").asText()).isNotBlank();
        assertThat(d.path("rotation").isNull()).isTrue();
        assertThat(d.path("deletionDate").isNull()).isTrue();
        assertThat(d.path("versions")).hasSize(1);
        assertThat(ok("describe", "it/list/a").out()).contains("kind:          generic").contains("tags:          env=prod,team=x");

        JsonNode byPrefix = json(ok("list", "--prefix", "it/list/", "--json"));
        assertThat(byPrefix.findValuesAsText("id")).containsExactly("it/list/a", "it/list/b");
        JsonNode byTag = json(ok("list", "--tag", "env=prod", "--json"));
        assertThat(byTag.findValuesAsText("id")).containsExactly("it/list/a");
        JsonNode anyValue = json(ok("list", "--prefix", "it/list/", "--tag", "env", "--json"));
        assertThat(anyValue).hasSize(2);
        assertThat(ok("list", "--prefix", "it/list/").out()).startsWith("ID").contains("it/list/b");
    }

    @Test
    void deleteSchedulesRestoreCancelsForceRemoves() throws IOException {
        ok("create", "it/gone", "--value", CANARY);
        JsonNode del = json(ok("delete", "it/gone", "--recovery-days", "7", "--json"));
        assertThat(del.path("deletionDate").asText()).isNotBlank();

        CliProcess.Result scheduled = fails(1, "get", "it/gone");
        assertThat(scheduled.err()).contains("scheduled for deletion");
        assertThat(json(ok("list", "--prefix", "it/gone", "--include-deleted", "--json")).get(0).path("deletionDate").asText())
                .isEqualTo(del.path("deletionDate").asText());

        assertThat(ok("restore", "it/gone").out()).contains("restored it/gone");
        assertThat(ok("get", "it/gone").out()).isEqualTo(CANARY + "\n");

        assertThat(ok("delete", "it/gone", "--force").out()).isEqualTo("deleted it/gone permanently\n");
        assertThat(fails(4, "get", "it/gone").err()).contains("it/gone");
        fails(4, "describe", "it/gone");
        fails(2, "delete", "it/gone", "--recovery-days", "3");
    }

    @Test
    void keysRotateThenRewrap_keepsEveryValueReadable() throws IOException {
        ok("create", "it/keys", "--value", CANARY);
        JsonNode rotated = json(ok("keys", "rotate", "--json"));
        assertThat(rotated.path("keyVersion").asInt()).isGreaterThanOrEqualTo(2);

        CliProcess.Result rewrap = ok("rewrap");
        assertThat(rewrap.out()).startsWith("re-wrapped ");
        assertThat(rewrap.err()).contains("re-wrapping secrets under master key 'default': ");
        assertThat(ok("get", "it/keys").out()).isEqualTo(CANARY + "\n");
        JsonNode v = json(ok("versions", "it/keys", "--json"));
        assertThat(v.get(0).path("keyVersion").asInt()).isEqualTo(rotated.path("keyVersion").asInt());

        CliProcess.Result generated = ok("keys", "generate", "--out", "other.key", "--json");
        assertThat(json(generated).path("keyUri").asText()).endsWith("other.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("other.key")))).isEqualTo("rw-------");
        fails(1, "keys", "generate", "--out", "other.key");
    }

    @Test
    void badUsage_isExitTwoWithOneLineAndWritesNothing() throws IOException {
        List<Path> before = CliProcess.files(dir.resolve("store"));
        assertThat(fails(2, "frobnicate").err()).contains("frobnicate");
        assertThat(fails(2, "get").err()).contains("Missing required parameter");
        assertThat(fails(2, "create", "bad//id", "--value", "x").err()).contains("empty segment");
        assertThat(fails(2, "create", "../escape", "--value", "x").err()).contains("'..' segment");
        assertThat(fails(2, "put", "it/x", "--value", "a", "--json", "{}").err()).contains("one of --value, --json or --file");
        assertThat(fails(2, "list", "--no-such-option").err()).contains("--no-such-option");
        assertThat(CliProcess.files(dir.resolve("store"))).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void unknownStoreSchemeOrMissingKey_isExitOneWithOneLineAndWritesNothing() throws IOException {
        CliProcess bare = new CliProcess(dir);
        CliProcess.Result scheme = record("create", bare.run("--store", "ftp://host/x", "create", "a", "--value", CANARY));
        assertThat(scheme.status()).as(scheme.toString()).isEqualTo(1);
        assertOneClearLine(scheme);
        assertThat(scheme.err()).contains("no backend for store scheme 'ftp'");

        CliProcess.Result noKey = record("create", bare.run("--store", "file:fresh", "create", "a", "--value", CANARY));
        assertThat(noKey.status()).as(noKey.toString()).isEqualTo(1);
        assertOneClearLine(noKey);
        assertThat(noKey.err()).contains("no master key 'default'").contains("secrets.key");
        assertThat(dir.resolve("fresh")).doesNotExist();

        CliProcess.Result noStore = record("list", bare.run("list"));
        assertThat(noStore.status()).isEqualTo(1);
        assertOneClearLine(noStore);
        assertThat(noStore.err()).contains("no store is configured");
    }

    @Test
    void debug_addsTheStackTrace() {
        CliProcess.Result r = cli.run("--debug", "get", "it/nothing-here");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.err()).contains("SecretNotFoundException").contains("\tat ");
    }

    @Test
    void binaryValues_roundTripByteForByte() throws IOException {
        byte[] bytes = {0, (byte) 0xff, 10, 13, (byte) 0x80, 'x'};
        Files.write(dir.resolve("blob.bin"), bytes);
        ok("create", "it/blob", "--file", "blob.bin");
        CliProcess.Result got = cli.run("get", "it/blob");
        assertThat(got.status()).isZero();
        assertThat(got.outBytes()).containsExactly(bytes);
        assertThat(json(ok("get", "it/blob", "--json")).path("type").asText()).isEqualTo("binary");
    }

    @Test
    void completion_printsABashScript() {
        assertThat(ok("completion").out()).contains("complete").contains("secrets").contains("rewrap");
    }

    @Test
    void rotationSetThenRotateNow_makesANewCurrentAndRecordsTheSettings() throws IOException {
        ok("create", "it/rotated", "--kind", "database", "--json", "{\"username\":\"u\",\"password\":\"" + CANARY + "\"}");
        JsonNode set = json(ok("rotation", "it/rotated", "--rotator", "random-password", "--schedule", "rate(30 days)",
                "--param", "passwordLength=40", "--json"));
        assertThat(set.path("rotation").path("rotator").asText()).isEqualTo("random-password");
        assertThat(set.path("rotation").path("nextRotation").asText()).isNotBlank();

        CliProcess.Result rotated = ok("rotate", "it/rotated");
        assertThat(rotated.out()).startsWith("rotated it/rotated: version ").contains("is CURRENT");
        String newPassword = ok("get", "it/rotated", "--field", "password").out().strip();
        assertThat(newPassword).hasSize(40).isNotEqualTo(CANARY);
        assertThat(ok("get", "it/rotated", "--label", "PREVIOUS", "--field", "password").out()).isEqualTo(CANARY + "\n");

        JsonNode d = json(ok("describe", "it/rotated", "--json"));
        assertThat(d.path("rotation").path("lastOutcome").asText()).isEqualTo("succeeded");
        assertThat(d.path("rotation").path("parameters").path("passwordLength").asText()).isEqualTo("40");
        assertThat(ok("rotation", "run-due").out()).isEqualTo("no rotation was due\n");
        assertThat(fails(2, "rotation", "it/rotated").err()).contains("--rotator");
        ok("create", "it/not-rotated", "--value", CANARY);
        assertThat(fails(1, "rotate", "it/not-rotated").err()).contains("it/not-rotated");
    }

    @Test
    void randomPassword_followsTheOptions() {
        String p = ok("random-password", "--length", "50", "--exclude-punctuation", "--exclude-numbers").out();
        assertThat(p.strip()).hasSize(50).matches("[A-Za-z]+");
        fails(2, "random-password", "--length", "0");
    }

    @Test
    void auditVerify_acceptsTheLogAndReportsAnAlteredLine() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        CliProcess audited = new CliProcess(dir).env("SECRETS_STORE", "file:store").env("SECRETS_KEY", "file:master.key")
                .env("SECRETS_AUDIT_LOG", log.toString());
        assertThat(audited.run("create", "it/audited", "--value", CANARY).status()).isZero();
        assertThat(audited.run("get", "it/audited").status()).isZero();
        CliProcess.Result verified = record("audit", audited.run("audit", "verify"));
        assertThat(verified.status()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("is intact: 2 entries");
        assertThat(Files.readString(log)).doesNotContain(CANARY).contains("secret.create").contains("secret.read");

        Files.writeString(log, Files.readString(log).replace("secret.read", "secret.zzzz"));
        CliProcess.Result broken = record("audit", audited.run("audit", "verify", "--json"));
        assertThat(broken.status()).isEqualTo(1);
        assertThat(json(broken).path("valid").asBoolean()).isFalse();
        assertThat(json(broken).path("line").asInt()).isEqualTo(2);
        assertOneClearLine(broken);
    }
}
