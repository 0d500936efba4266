package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.SecretsClient;
import dev.secrets.VersionDescription;
import dev.secrets.audit.AuditLogVerifier;
import dev.secrets.testing.IsolatedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./secrets demo}, through the launcher at the root of the repository, as a user runs it. */
class DemoCommandIT {
    private static final Path LAUNCHER = Path.of("..", "secrets").toAbsolutePath().normalize();

    @TempDir
    Path cwd;

    @Test
    void demo_throughTheLauncher_printsEveryStepAndLeavesARealStore() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "demo").directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SECRETS_"));
        Process p = pb.start();
        p.getOutputStream().close();
        var out = CliProcess.drain(p.getInputStream());
        var err = CliProcess.drain(p.getErrorStream());
        int status = p.waitFor();
        String stdout = new String(out.get());
        String stderr = new String(err.get());
        assertThat(status).as(stdout + stderr).isZero();
        assertThat(stderr).as("the jar was built by the build itself: no rebuild, no noise").isEmpty();

        assertThat(stdout).contains(" 1. created a file store in ")
                .contains(" 2. created an embedded H2 database jdbc:h2:file:")
                .contains(" 3. stored the database credentials as secret demo/orders-db (kind database)")
                .containsPattern(" 4\\. connected through jdbc:secrets:h2:file:\\S+ with user=demo/orders-db: logged in as APP, 3 orders")
                .contains(" 5. set rotation of demo/orders-db: rotator h2")
                .containsPattern("    - createSecret: generated a new random password and stored it as version \\S+ labelled PENDING")
                .contains("    - setSecret: logged in to H2 as 'app' with the CURRENT password and set the PENDING one")
                .contains("    - testSecret: logged in to H2 with the PENDING password")
                .containsPattern("    - finishSecret: moved CURRENT to version \\S+; version \\S+ is now PREVIOUS")
                .doesNotContain("NOT RECORDED")
                .containsPattern(" 7\\. the database now refuses the old password \\(SQLState 28000\\)")
                .containsPattern(" 8\\. connected again through .* now with the new password: logged in as APP, 3 orders")
                .containsPattern("\\S{36}  CURRENT ").containsPattern("\\S{36}  PREVIOUS ")
                .containsPattern("10\\. the audit trail in \\S+ \\(\\d+ entries, hash chain verified; no values in it\\)")
                .containsPattern("rotation\\.finishSecret +success")
                .contains("done in ");

        Path run;
        try (var s = Files.list(cwd.resolve(".secrets-demo"))) {
            List<Path> runs = s.toList();
            assertThat(runs).hasSize(1);
            run = runs.get(0);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("master.key")))).isEqualTo("rw-------");
        assertThat(CliProcess.files(run.resolve("store"))).isNotEmpty();

        // The demo's "hash chain verified" checked by the verifier itself, on the file it names.
        Matcher trail = Pattern.compile("10\\. the audit trail in (\\S+) \\((\\d+) entries").matcher(stdout);
        assertThat(trail.find()).isTrue();
        Path auditLog = cwd.resolve(trail.group(1)).normalize();
        AuditLogVerifier.Result verified = AuditLogVerifier.verify(auditLog);
        assertThat(verified.valid()).as(verified.toString()).isTrue();
        assertThat(verified.entries()).isEqualTo(Long.parseLong(trail.group(2))).isGreaterThanOrEqualTo(5);

        // Every password the demo stored (the first and the rotated one), read back from its store, is nowhere on
        // disk but in the store's encrypted records, nor in what the demo printed: in plain text, base64 or hex.
        List<String> passwords = new ArrayList<>();
        try (SecretsClient client = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .store("file:" + run.resolve("store")).masterKey("default", "file:" + run.resolve("master.key")).build()) {
            for (VersionDescription v : client.describeSecret("demo/orders-db").versions()) {
                passwords.add(client.getSecretValue(GetSecretValueRequest.of("demo/orders-db").withVersionId(v.versionId())).field("password"));
            }
        }
        assertThat(passwords).hasSize(2).doesNotHaveDuplicates().allSatisfy(pw -> assertThat(pw).hasSizeGreaterThanOrEqualTo(8));
        List<Path> files = CliProcess.files(cwd);
        assertThat(files).contains(auditLog);
        for (String pw : passwords) {
            for (String form : forms(pw)) {
                assertThat(stdout + stderr).as("demo output").doesNotContain(form);
                for (Path f : files) {
                    assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as("%s", cwd.relativize(f)).doesNotContain(form);
                }
            }
        }

        // The store the demo left is a real one: the CLI reads it.
        CliProcess cli = new CliProcess(cwd).env("SECRETS_STORE", "file:" + run.resolve("store")).env("SECRETS_KEY", "file:" + run.resolve("master.key"));
        CliProcess.Result versions = cli.run("versions", "demo/orders-db", "--json");
        assertThat(versions.status()).isZero();
        assertThat(versions.out()).contains("\"CURRENT\"").contains("\"PREVIOUS\"");
    }

    /** {@code value} in plain text, hex, and the part of its base64 that does not depend on the bytes around it, at each alignment. */
    private static List<String> forms(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(List.of(value, HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes)));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + bytes.length];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            out.add(Base64.getEncoder().encodeToString(shifted).substring((shift * 8 + 5) / 6, shifted.length / 3 * 4));
        }
        return out;
    }
}
