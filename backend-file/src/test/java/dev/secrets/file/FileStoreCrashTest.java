package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: child JVMs writing to the store are killed ({@code destroyForcibly}, SIGKILL) at
 * random moments; after every kill the store opens, every acknowledged write is readable with its
 * value, and nothing is torn. Two children write at once (to different secrets of one store), so a
 * kill also lands while another process writes.
 */
class FileStoreCrashTest {
    private static final int ROUNDS = 28;
    private static final int CHILDREN = 2;
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void afterEveryKill_everyAcknowledgedWriteIsReadable_andNothingIsTorn() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path store = dir.resolve("store");
        Path stderr = dir.resolve("child-stderr.txt");
        int acknowledged = 0;
        int killedMidRun = 0;
        Map<String, Integer> highestAck = new HashMap<>();
        try (SecretsClient reader = reader(store)) {
            for (int round = 0; round < ROUNDS; round++) {
                List<ChildProcesses.Child> children = new ArrayList<>();
                List<String> secrets = new ArrayList<>();
                for (int c = 0; c < CHILDREN; c++) {
                    // Consecutive rounds share a secret: a child continues a log an earlier child was killed in.
                    String secret = "crash/" + c + "/" + (round / 3);
                    secrets.add(secret);
                    children.add(ChildProcesses.start(KEY, stderr, "crash", store.toString(), secret, "90"));
                }
                for (ChildProcesses.Child child : children) {
                    // The random moment of the kill: after a random number of acknowledged writes (of the
                    // 91 a child makes, so that it is still writing whatever the machine's speed), plus a
                    // random fraction of a write.
                    int acksBeforeKill = 1 + random.nextInt(45);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (child.complete("ACK").size() < acksBeforeKill && child.process.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(1); // polling the child's output
                    }
                    Thread.sleep(random.nextInt(4));
                    boolean alive = child.process.isAlive() && !child.printed("DONE");
                    child.process.destroyForcibly();
                    child.awaitExit();
                    if (alive) {
                        killedMidRun++;
                    }
                }
                for (int c = 0; c < CHILDREN; c++) {
                    String secret = secrets.get(c);
                    List<String> acks = children.get(c).complete("ACK");
                    assertThat(acks).as("round %d child %d acknowledged a write (seed %d); stderr: %s", round, c, seed,
                            Files.exists(stderr) ? Files.readString(stderr) : "").isNotEmpty();
                    acknowledged += acks.size();
                    for (String ack : acks) {
                        String[] parts = ack.split(" ", 2);
                        SecretVersion v = reader.getSecretValue(GetSecretValueRequest.of(secret).withVersionId(parts[0]));
                        assertThat(v.text()).as("round %d seed %d version %s", round, seed, parts[0]).isEqualTo(parts[1]);
                        highestAck.merge(secret, Integer.parseInt(parts[0].substring(1)), Math::max);
                    }
                    // CURRENT is the last acknowledged write, or the one in flight when the child died.
                    int current = Integer.parseInt(reader.getSecretValue(secret).versionId().substring(1));
                    assertThat(current).as("round %d seed %d", round, seed).isBetween(highestAck.get(secret), highestAck.get(secret) + 1);
                }
                // Nothing torn: every secret of the store reads whole and has exactly one CURRENT.
                List<SecretDescription> all = reader.listSecrets(ListSecretsRequest.all()).items();
                assertThat(all).hasSize(highestAck.size());
                for (SecretDescription d : all) {
                    assertThat(d.versions().stream().filter(x -> x.labels().contains(Label.CURRENT))).hasSize(1);
                    assertThat(reader.getSecretValue(d.id().value()).text()).startsWith(d.id().value() + "#");
                }
            }
        }
        assertThat(killedMidRun).as("children killed before they finished").isGreaterThanOrEqualTo(50);
        // Temporary files left by kills are never taken for keys.
        try (Stream<Path> files = Files.walk(store)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .allSatisfy(n -> assertThat(n).matches("~[0-9a-f]{16}|\\^tmp-.*|store|~\\d{4}-\\d\\d-\\d\\d"));
        }
        System.out.printf("crash test: %d kills (%d mid-run), %d acknowledged writes verified, seed %d%n", ROUNDS * CHILDREN,
                killedMidRun, acknowledged, seed);
    }

    private static SecretsClient reader(Path store) {
        return SecretsClient.builder()
                .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build())
                .store(new FileObjectStore(store)).masterKey("default", KEY).cacheTtl(Duration.ZERO).build();
    }
}
