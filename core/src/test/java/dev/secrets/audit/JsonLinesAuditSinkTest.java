package dev.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.AuditFailedException;
import dev.secrets.spi.AuditEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static AuditEvent event(String secretId) {
        return new AuditEvent(Instant.parse("2026-03-01T10:15:30Z"), "secret.read", secretId, "v1", AuditEvent.SUCCESS, null, "team-a");
    }

    @Test
    void eachEvent_isOneJsonLineWithItsFieldsAndChainHashes() throws IOException {
        Path file = dir.resolve("audit.log");
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
        sink.record(event("app/db"));
        sink.record(new AuditEvent(Instant.parse("2026-03-01T10:15:31Z"), "key.rotate", null, null, AuditEvent.FAILURE,
                "WrongMasterKeyException", "team-a", "payments"));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("time").asText()).isEqualTo("2026-03-01T10:15:30Z");
        assertThat(first.get("action").asText()).isEqualTo("secret.read");
        assertThat(first.get("secretId").asText()).isEqualTo("app/db");
        assertThat(first.get("versionId").asText()).isEqualTo("v1");
        assertThat(first.get("outcome").asText()).isEqualTo("success");
        assertThat(first.get("principal").asText()).isEqualTo("team-a");
        assertThat(first.has("errorClass")).isFalse();
        assertThat(first.get("prev").asText()).isEqualTo("0".repeat(64));
        assertThat(second.get("prev").asText()).isEqualTo(first.get("hash").asText());
        assertThat(second.get("keyName").asText()).isEqualTo("payments");
        assertThat(second.get("errorClass").asText()).isEqualTo("WrongMasterKeyException");
        assertThat(AuditLogVerifier.verify(file).valid()).isTrue();
    }

    @Test
    void nonAsciiAndQuotes_areEscapedAndStillVerify() throws IOException {
        Path file = dir.resolve("audit.log");
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
        sink.record(new AuditEvent(Instant.EPOCH, "secret.read", "a/b", null, AuditEvent.SUCCESS, null, "Zoë \"the\" admin\n"));

        String line = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(JSON.readTree(line).get("principal").asText()).isEqualTo("Zoë \"the\" admin\n");
        assertThat(line.chars().allMatch(c -> c < 0x80)).isTrue();
        assertThat(AuditLogVerifier.verify(file).valid()).isTrue();
    }

    @Test
    void newFile_isReadableByItsOwnerOnly_andParentDirectoriesAreCreated() throws IOException {
        Path file = dir.resolve("logs/secrets/audit.log");
        new JsonLinesAuditSink(file).record(event("x"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aTornLastLine_isEndedAndTheChainContinuesFromTheLastCompleteEntry() throws IOException {
        Path file = dir.resolve("audit.log");
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
        sink.record(event("a"));
        sink.record(event("b"));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 40)); // a crash in the middle of line 2

        sink.record(event("c"));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        JsonNode third = JSON.readTree(lines.get(2));
        assertThat(third.get("seq").asLong()).isEqualTo(2);
        assertThat(third.get("prev").asText()).isEqualTo(JSON.readTree(lines.get(0)).get("hash").asText());
        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);
        assertThat(r.problem().get().line()).as("the torn line stays visible to the verifier").isEqualTo(2);
    }

    @Test
    void longLines_areFoundAsTheLastEntry() {
        Path file = dir.resolve("audit.log");
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
        String longPrincipal = "p".repeat(20_000);
        for (int i = 0; i < 3; i++) {
            sink.record(new AuditEvent(Instant.EPOCH, "secret.read", "a", null, AuditEvent.SUCCESS, null, longPrincipal));
        }

        assertThat(AuditLogVerifier.verify(file).entries()).isEqualTo(3);
    }

    @Test
    void pathThatIsADirectory_failsRecordAndCheckReady_evenForRoot() throws IOException {
        Path file = Files.createDirectory(dir.resolve("audit.log"));
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file);

        assertThatThrownBy(() -> sink.record(event("x"))).isInstanceOf(AuditFailedException.class).hasMessageContaining(file.toString());
        assertThatThrownBy(sink::checkReady).isInstanceOf(AuditFailedException.class);
    }

    @Test
    void concurrentEventsThatCannotBeWritten_allFail() throws Exception {
        Path file = Files.createDirectory(dir.resolve("audit.log"));
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                sink.record(event("x"));
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> f : done) {
            assertThatThrownBy(() -> f.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(AuditFailedException.class);
        }
    }

    @Test
    void concurrentThreadsAndProcesses_loseNoEventAndKeepTheChainValid() throws Exception {
        Path file = dir.resolve("audit.log");
        int perProcess = 300;
        int threads = 4;
        int perThread = 150;
        List<Process> processes = new ArrayList<>();
        for (String tag : List.of("proc1", "proc2")) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AuditAppender.class.getName(), file.toString(), tag,
                    String.valueOf(perProcess))
                    .redirectErrorStream(true).redirectOutput(dir.resolve(tag + ".out").toFile()).start());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String tag = "thread" + t;
            // One sink per thread as well as a shared one: both kinds of in-process sharing must hold.
            JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    sink.record(new AuditEvent(Instant.now(), "secret.read", tag + "/" + i, null, AuditEvent.SUCCESS, null, tag));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        for (Process p : processes) {
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve(p == processes.get(0) ? "proc1.out" : "proc2.out"))).isZero();
        }

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);
        assertThat(r.valid()).as(r.toString()).isTrue();
        int expected = 2 * perProcess + threads * perThread;
        assertThat(r.entries()).isEqualTo(expected);
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            ids.add(JSON.readTree(line).get("secretId").asText());
        }
        assertThat(ids).hasSize(expected).contains("proc1/0", "proc1/299", "proc2/299", "thread3/149");
    }
}
