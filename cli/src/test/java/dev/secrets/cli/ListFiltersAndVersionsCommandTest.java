package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secrets list --filter/--sort-by}, {@code put --if-current} and {@code destroy} through the
 * command line (parsed and run in this JVM) on a file store: each AWS ListSecrets filter and its
 * negation change the listing as they do through the API.
 */
class ListFiltersAndVersionsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--store", "file:" + dir.resolve("store")));
        if (!args[0].equals("init")) {
            all.addAll(List.of("--key", "file:" + dir.resolve("master.key")));
        }
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(all.toArray(String[]::new), new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run ok(String... args) {
        Run r = run(null, args);
        assertThat(r.status()).as(r.err()).isZero();
        return r;
    }

    private List<String> ids(String... listArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("list", "--json"));
        args.addAll(List.of(listArgs));
        List<String> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(ok(args.toArray(String[]::new)).out())) {
            out.add(n.get("id").asText());
        }
        return out;
    }

    @BeforeEach
    void seed() throws Exception {
        Files.createDirectories(dir.resolve("store"));
        Run init = run(null, "init", "--generate-key", dir.resolve("master.key").toString());
        assertThat(init.status()).as(init.err()).isZero();
        ok("create", "prod/db", "--value", "a", "--description", "Primary Database credentials", "--tag", "team=payments", "--tag", "env=production");
        ok("create", "prod/api-key", "--value", "b", "--description", "Stripe API key", "--tag", "team=checkout", "--tag", "env=production");
        ok("create", "dev/db", "--value", "c", "--description", "scratch database", "--tag", "env=development");
        ok("create", "Prod/legacy", "--value", "d", "--tag", "owner=ops");
    }

    @Test
    void everyFilterAndItsNegation_throughTheCommandLine() throws Exception {
        assertThat(ids()).containsExactly("Prod/legacy", "dev/db", "prod/api-key", "prod/db");
        assertThat(ids("--filter", "name=prod/")).containsExactly("prod/api-key", "prod/db");
        assertThat(ids("--filter", "name=!prod/")).containsExactly("Prod/legacy", "dev/db");
        assertThat(ids("--filter", "description=primary")).containsExactly("prod/db");
        assertThat(ids("--filter", "description=!s")).containsExactly("Prod/legacy", "prod/db");
        assertThat(ids("--filter", "tag-key=tea")).containsExactly("prod/api-key", "prod/db");
        assertThat(ids("--filter", "tag-key=!team")).containsExactly("Prod/legacy", "dev/db");
        assertThat(ids("--filter", "tag-value=prod")).containsExactly("prod/api-key", "prod/db");
        assertThat(ids("--filter", "tag-value=!prod")).containsExactly("Prod/legacy", "dev/db");
        assertThat(ids("--filter", "all=STRIPE")).containsExactly("prod/api-key");
        assertThat(ids("--filter", "all=!prod")).containsExactly("dev/db");
        assertThat(ids("--filter", "name=prod/", "--filter", "tag-value=pay")).containsExactly("prod/db");
        assertThat(ids("--filter", "tag-value=prod,dev,!payments")).containsExactly("dev/db", "prod/api-key");
        assertThat(ids("--sort-by", "name", "--sort-order", "desc")).containsExactly("prod/db", "prod/api-key", "dev/db", "Prod/legacy");
    }

    @Test
    void badFiltersAndSorts_areWrongUsage() {
        Run r = run(null, "list", "--filter", "owner=x");
        assertThat(r.status()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("unknown filter key 'owner'");
        assertThat(run(null, "list", "--sort-by", "size").status()).isEqualTo(Main.USAGE);
    }

    @Test
    void putIfCurrent_andDestroy() throws Exception {
        String first = JSON.readTree(ok("describe", "prod/db", "--json").out()).get("versions").get(0).get("versionId").asText();
        Run stale = run("x", "put", "prod/db", "--if-current", "not-the-current-one", "--value", "new");
        assertThat(stale.status()).isEqualTo(Main.ERROR);
        assertThat(stale.err()).contains("CURRENT version is " + first);
        ok("put", "prod/db", "--if-current", first, "--value", "second");
        ok("destroy", "prod/db", first);
        JsonNode versions = JSON.readTree(ok("versions", "prod/db", "--json").out());
        JsonNode destroyed = null;
        for (JsonNode v : versions) {
            if (v.get("versionId").asText().equals(first)) {
                destroyed = v;
            }
        }
        assertThat(destroyed).isNotNull();
        assertThat(destroyed.has("destroyed")).isTrue();
        Run read = run(null, "get", "prod/db", "--version-id", first);
        assertThat(read.status()).isEqualTo(Main.NOT_FOUND);
        assertThat(read.err()).contains("destroyed");
        assertThat(ok("get", "prod/db").out()).contains("second");
    }
}
