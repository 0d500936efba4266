package dev.secrets.file;

import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.OneSecretHammer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OneSecretHammer} on the file store: a directory listing taken while a write compacts the
 * record log must never be read as "no secret", and no acknowledged version is lost.
 */
class FileOneSecretHammerTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void concurrentPutsAndReadsOfOneSecret_neverSeeItMissing_norLoseAVersion() throws Exception {
        Path store = dir.resolve("store");
        String outcome = new OneSecretHammer(() -> SecretsClient.builder()
                .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build())
                .store(new FileObjectStore(store)).masterKey("default", KEY).cacheTtl(Duration.ZERO).build())
                .shape(3, 3, 11, 2).run();
        System.out.println("file store hammer: " + outcome);
    }
}
