package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.VersionDescription;
import dev.secrets.testing.IsolatedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash safety: child JVMs writing to the store are killed ({@code destroyForcibly}, SIGKILL) at
 * random moments, each in the middle of a real write (never an idempotent repeat); after every kill
 * the store opens, every acknowledged write is readable with its value, and nothing is torn. Two
 * children write at once (to different secrets of one store), so a kill also lands while another
 * process writes. Then a write is stopped at each durable step of the file store in turn.
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
        int killedMidWrite = 0;
        Map<String, Integer> highestAck = new HashMap<>();
        try (SecretsClient reader = reader(store)) {
            for (int round = 0; round < ROUNDS; round++) {
                List<ChildProcesses.Child> children = new ArrayList<>();
                List<String> secrets = new ArrayList<>();
                for (int c = 0; c < CHILDREN; c++) {
                    // Consecutive rounds share a secret: a child continues a log an earlier child was killed in,
                    // with tokens past every earlier child's (the one in flight at the kill included).
                    String secret = "crash/" + c + "/" + (round / 3);
                    secrets.add(secret);
                    int from = highestAck.containsKey(secret) ? highestAck.get(secret) + 2 : 0;
                    children.add(ChildProcesses.start(KEY, stderr, "crash", store.toString(), secret, String.valueOf(from), "90"));
                }
                // Each child is killed at its own random moment, by its own thread: none writes on unwatched while
                // the other is waited for. The moment: after a random number of acknowledged writes (of the 91 a child
                // makes, so that it is still writing whatever the machine's speed), plus a random fraction of a write.
                List<java.util.concurrent.Future<String>> kills = new ArrayList<>();
                java.util.concurrent.ExecutorService killers = java.util.concurrent.Executors.newFixedThreadPool(CHILDREN);
                try {
                    for (ChildProcesses.Child child : children) {
                        int acksBeforeKill = 1 + random.nextInt(45);
                        int extraMillis = random.nextInt(4);
                        kills.add(killers.submit(() -> {
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                            while (child.complete("ACK").size() < acksBeforeKill && child.process.isAlive()
                                    && System.nanoTime() < deadline) {
                                Thread.sleep(1); // polling the child's output
                            }
                            Thread.sleep(extraMillis);
                            child.process.destroyForcibly();
                            child.awaitExit();
                            return child.lines.isEmpty() ? "(no output)" : child.lines.get(child.lines.size() - 1);
                        }));
                    }
                } finally {
                    killers.shutdown();
                }
                List<Integer> inFlight = new ArrayList<>();
                for (int c = 0; c < CHILDREN; c++) {
                    // Every kill lands in a write: the child's last line is the BEGIN of a write it never acknowledged.
                    String last = kills.get(c).get(5, TimeUnit.MINUTES);
                    assertThat(last).as("round %d child %d: last line at the kill (seed %d); stderr: %s", round, c, seed,
                            Files.exists(stderr) ? Files.readString(stderr) : "").matches("BEGIN v\\d+");
                    inFlight.add(Integer.parseInt(last.substring("BEGIN v".length())));
                    killedMidWrite++;
                }
                for (int c = 0; c < CHILDREN; c++) {
                    String secret = secrets.get(c);
                    List<String> acks = children.get(c).complete("ACK");
                    assertThat(acks).as("round %d child %d acknowledged a write (seed %d)", round, c, seed).isNotEmpty();
                    acknowledged += acks.size();
                    for (String ack : acks) {
                        String[] parts = ack.split(" ", 2);
                        SecretVersion v = reader.getSecretValue(GetSecretValueRequest.of(secret).withVersionId(parts[0]));
                        assertThat(v.text()).as("round %d seed %d version %s", round, seed, parts[0]).isEqualTo(parts[1]);
                        highestAck.merge(secret, Integer.parseInt(parts[0].substring(1)), Math::max);
                    }
                    // CURRENT is the last acknowledged write, or the one in flight when the child died.
                    int current = Integer.parseInt(reader.getSecretValue(secret).versionId().substring(1));
                    assertThat(current).as("round %d seed %d", round, seed).isIn(highestAck.get(secret), inFlight.get(c));
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
        assertThat(killedMidWrite).as("children killed in the middle of a write").isEqualTo(ROUNDS * CHILDREN);
        // Temporary files left by kills are never taken for keys.
        try (Stream<Path> files = Files.walk(store)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .allSatisfy(n -> assertThat(n).matches("~[0-9a-f]{16}|\\^tmp-.*|store|~\\d{4}-\\d\\d-\\d\\d"));
        }
        System.out.printf("crash test: %d kills, each in a write, %d acknowledged writes verified, seed %d%n", ROUNDS * CHILDREN,
                acknowledged, seed);
    }

    /**
     * A write stopped for good (then killed) at each durable step of the file store, in order: the write
     * is invisible until its record-log entry is linked, whole from the moment it is, and a later writer
     * carries on from either state (the same idempotency token finishes the stopped write exactly once).
     */
    @ParameterizedTest
    @EnumSource(FileObjectStore.Step.class)
    void aKillAtEachDurableStepOfAWrite_leavesTheWriteAllOrNothing_andTheStoreUsable(FileObjectStore.Step step) throws Exception {
        Path store = dir.resolve("store");
        String secret = "step/" + step.name().toLowerCase(java.util.Locale.ROOT);
        ChildProcesses.Child child = ChildProcesses.start(KEY, dir.resolve("child-stderr.txt"), "step", store.toString(), secret,
                step.name());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (child.lines.stream().noneMatch(l -> l.startsWith("STOPPED ")) && child.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1); // polling the child's output
        }
        child.process.destroyForcibly();
        child.awaitExit();
        assertThat(child.lines).as("stderr: %s", Files.exists(dir.resolve("child-stderr.txt"))
                ? Files.readString(dir.resolve("child-stderr.txt")) : "").contains("CREATED").anyMatch(l -> l.startsWith("STOPPED " + step + " secrets/" + secret + "/~"));

        Path log = store.resolve("secrets").resolve(secret);
        List<String> generations;
        List<String> temporary;
        try (Stream<Path> files = Files.list(log)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            generations = names.stream().filter(n -> n.startsWith("~")).toList();
            temporary = names.stream().filter(n -> n.startsWith("^tmp-")).toList();
        }
        try (SecretsClient reader = reader(store)) {
            SecretVersion current = reader.getSecretValue(secret);
            switch (step) {
                case DATA_FILE_WRITTEN -> {
                    // Forced to disk but not linked: not part of the store.
                    assertThat(current.versionId()).isEqualTo("v0");
                    assertThat(generations).hasSize(1);
                    assertThat(temporary).hasSize(1);
                }
                case LINKED -> {
                    // Linked: the entry is there, whole (its data was on disk before the link), though never acknowledged.
                    assertThat(current.versionId()).isEqualTo("v1");
                    assertThat(current.text()).isEqualTo(secret + "#1");
                    assertThat(generations).hasSize(2);
                    assertThat(temporary).hasSize(1);
                }
                case DIRECTORY_SYNCED -> {
                    // Durable, the superseded generation not yet deleted.
                    assertThat(current.versionId()).isEqualTo("v1");
                    assertThat(generations).hasSize(2);
                    assertThat(temporary).isEmpty();
                }
                case DELETED -> {
                    // Compacted: only the new generation is left.
                    assertThat(current.versionId()).isEqualTo("v1");
                    assertThat(generations).hasSize(1);
                    assertThat(temporary).isEmpty();
                }
                default -> throw new AssertionError(step);
            }
        }
        // Another process carries on: the stopped write, sent again with its token, lands exactly once; the next one too.
        try (SecretsClient writer = reader(store)) {
            assertThat(writer.putSecretValue(PutSecretValueRequest.of(secret, SecretValue.ofText(secret + "#1")).withToken("v1")))
                    .isEqualTo("v1");
            assertThat(writer.putSecretValue(PutSecretValueRequest.of(secret, SecretValue.ofText(secret + "#2")).withToken("v2")))
                    .isEqualTo("v2");
            SecretDescription d = writer.describeSecret(secret);
            assertThat(d.versions()).extracting(VersionDescription::versionId).containsExactlyInAnyOrder("v0", "v1", "v2");
            assertThat(d.versionWith(Label.CURRENT).orElseThrow().versionId()).isEqualTo("v2");
            assertThat(writer.getSecretValue(GetSecretValueRequest.of(secret).withVersionId("v1")).text()).isEqualTo(secret + "#1");
        }
    }

    private static SecretsClient reader(Path store) {
        return SecretsClient.builder()
                .config(IsolatedConfig.get())
                .store(new FileObjectStore(store)).masterKey("default", KEY).cacheTtl(Duration.ZERO).build();
    }
}
