package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive of the launcher: {@link CdsTraining} run under
 * {@code -XX:ArchiveClassesAtExit} leaves an archive from which a later {@code secrets get} maps
 * the CLI's and the core's classes instead of loading them from the jar, and prints the same value.
 */
class CdsArchiveIT {
    @TempDir
    Path dir;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String run(Path cwd, List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + text).isZero();
        return text;
    }

    @Test
    void theTrainingRun_leavesAnArchive_thatAGetMapsItsClassesFrom() throws Exception {
        Path jsa = dir.resolve("secrets.jsa");
        run(dir, List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=" + jsa,
                "-cp", CliProcess.JAR.toAbsolutePath().toString(), CdsTraining.class.getName()));
        assertThat(jsa).exists();
        assertThat(Files.size(jsa)).isGreaterThan(1_000_000);

        CliProcess cli = new CliProcess(dir);
        assertThat(cli.run("--store", "file:store", "init", "--generate-key", "master.key").status()).isZero();
        assertThat(cli.run("--store", "file:store", "--key", "file:master.key", "create", "app/token", "--value", "t0ken").status())
                .isZero();

        List<String> get = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:SharedArchiveFile=" + jsa, "-Xshare:auto", "-Xlog:class+load=info:file=" + dir.resolve("classes.txt"),
                "-jar", CliProcess.JAR.toAbsolutePath().toString(), "--store", "file:store", "--key", "file:master.key",
                "get", "app/token"));
        assertThat(run(dir, get)).isEqualTo("t0ken\n");
        String loaded = Files.readString(dir.resolve("classes.txt"));
        assertThat(loaded).containsPattern("dev\\.secrets\\.cli\\.GetCommand source: shared objects file")
                .containsPattern("dev\\.secrets\\.internal\\.SecretsEngine source: shared objects file")
                .containsPattern("com\\.fasterxml\\.jackson\\.core\\.JsonFactory source: shared objects file");
        assertThat(loaded).as("a get reads JSON with the streaming parser: no mapper, no data binding is built")
                .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper ")
                .doesNotContain("com.fasterxml.jackson.databind.deser.BeanDeserializer ");
        assertThat(loaded).as("a get on a file store loads no other backend, database or driver")
                .doesNotContain("software.amazon.awssdk").doesNotContain("org.h2.").doesNotContain("dev.secrets.s3.")
                .doesNotContain("dev.secrets.jdbc.");
    }
}
