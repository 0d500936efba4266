package dev.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.spi.AuditEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogVerifierTest {
    @TempDir
    Path dir;

    /** A log of {@code n} entries written through the real sink. */
    private Path log(int n) {
        Path file = dir.resolve("audit.log");
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file, false);
        for (int i = 0; i < n; i++) {
            sink.record(event(i));
        }
        return file;
    }

    private static AuditEvent event(int i) {
        return new AuditEvent(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "secret.read", "app/db-" + (i % 7),
                "v-" + i, AuditEvent.SUCCESS, null, "billing");
    }

    private static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.US_ASCII);
    }

    @Test
    void untouchedLogOf100000Events_isValid() throws Exception {
        Path file = dir.resolve("big.log");
        long t0 = System.nanoTime();
        // Written through the real sink, by 32 threads at once (its group commit writes what they queued together); not
        // forced to disk.
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file, false);
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < 100_000; i += threads) {
                        sink.record(event(i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<String> lines = lines(file);
        assertThat(lines).hasSize(100_000);
        // Each event once: version IDs v-0 … v-99999.
        assertThat(lines.stream().map(l -> l.replaceAll(".*\"versionId\":\"v-(\\d+)\".*", "$1")).distinct().count()).isEqualTo(100_000);

        long start = System.nanoTime();
        System.out.println("generated in " + (start - t0) / 1_000_000 + " ms; " + Files.size(file) + " bytes");
        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.println("verified 100000 lines in " + millis + " ms");
        assertThat(r.valid()).as(r.toString()).isTrue();
        assertThat(r.entries()).isEqualTo(100_000);
        String last = lines.get(lines.size() - 1);
        assertThat(last).endsWith("\"hash\":\"" + r.lastHash() + "\"}");
    }

    @Test
    void logWrittenBySink_isValid() {
        AuditLogVerifier.Result r = AuditLogVerifier.verify(log(50));

        assertThat(r.valid()).isTrue();
        assertThat(r.entries()).isEqualTo(50);
        assertThat(r.problem()).isEmpty();
    }

    @Test
    void emptyLog_isValidWithNoEntries() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.log"));

        assertThat(AuditLogVerifier.verify(file).valid()).isTrue();
        assertThat(AuditLogVerifier.verify(file).entries()).isZero();
    }

    @Test
    void deletedLine_isReportedAtItsPlace() throws IOException {
        Path file = log(20);
        List<String> lines = lines(file);
        lines.remove(9); // line 10

        write(file, lines);

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);

        assertThat(r.valid()).isFalse();
        assertThat(r.problem().get().line()).isEqualTo(10);
        assertThat(r.problem().get().message()).contains("entry #10 is missing");
        assertThat(r.entries()).isEqualTo(9);
    }

    @Test
    void deletedFirstLine_isReported() throws IOException {
        Path file = log(5);
        List<String> lines = lines(file);
        lines.remove(0);
        write(file, lines);

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);

        assertThat(r.problem().get().line()).isEqualTo(1);
        assertThat(r.problem().get().message()).contains("entry #1 is missing");
    }

    @Test
    void twoSwappedLines_areReported() throws IOException {
        Path file = log(20);
        List<String> lines = lines(file);
        Collections.swap(lines, 4, 5); // lines 5 and 6
        write(file, lines);

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);

        assertThat(r.valid()).isFalse();
        assertThat(r.problem().get().line()).isEqualTo(5);
        assertThat(r.problem().get().message()).contains("reordered");
    }

    @Test
    void editedLine_isReportedAsAltered() throws IOException {
        Path file = log(20);
        List<String> lines = lines(file);
        lines.set(11, lines.get(11).replace("\"outcome\":\"success\"", "\"outcome\":\"failure\""));
        write(file, lines);

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);

        assertThat(r.problem().get().line()).isEqualTo(12);
        assertThat(r.problem().get().message()).startsWith("altered");
    }

    @Test
    void editedLineWithItsOwnHashRecomputed_breaksTheChainAtTheNextLine() throws IOException {
        Path file = log(20);
        List<String> lines = lines(file);
        String edited = lines.get(11).replace("\"principal\":\"billing\"", "\"principal\":\"nobody!\"");
        int body = AuditLine.parse(edited).bodyLength();
        lines.set(11, edited.substring(0, body) + AuditLine.HASH_INFIX + AuditLine.sha256(edited.substring(0, body)) + "\"}");
        write(file, lines);

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);

        assertThat(r.problem().get().line()).isEqualTo(13);
        assertThat(r.problem().get().message()).contains("does not follow the line before it");
    }

    @Test
    void lastLineCutInTheMiddle_isReportedAsTruncated() throws IOException {
        Path file = log(20);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 30));

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);

        assertThat(r.problem().get().line()).isEqualTo(20);
        assertThat(r.problem().get().message()).startsWith("truncated");
        assertThat(r.entries()).isEqualTo(19);
    }

    @Test
    void fileCutAtALineEnd_isCaughtByAnAnchor() throws IOException {
        Path file = log(20);
        AuditLogVerifier.Result before = AuditLogVerifier.verify(file);
        List<String> lines = lines(file);
        write(file, lines.subList(0, 15));

        assertThat(AuditLogVerifier.verify(file).valid()).as("without an anchor the cut cannot show").isTrue();
        AuditLogVerifier.Result r = AuditLogVerifier.verify(file, before.entries(), before.lastHash());

        assertThat(r.valid()).isFalse();
        assertThat(r.problem().get().message()).contains("entries were removed from the end");
    }

    @Test
    void logRewrittenFromScratch_failsTheAnchor() throws IOException {
        Path file = log(10);
        AuditLogVerifier.Result before = AuditLogVerifier.verify(file);
        Files.delete(file);
        JsonLinesAuditSink forger = new JsonLinesAuditSink(file, false);
        for (int i = 0; i < 12; i++) {
            forger.record(new AuditEvent(Instant.EPOCH, "secret.describe", "x", null, AuditEvent.SUCCESS, null, "someone"));
        }

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file, before.entries(), before.lastHash());

        assertThat(r.problem().get().line()).isEqualTo(10);
        assertThat(r.problem().get().message()).contains("anchored hash");
    }

    @Test
    void lineThatIsNotAnEntry_isReported() throws IOException {
        Path file = log(5);
        List<String> lines = lines(file);
        lines.add(2, "{\"hello\":\"world\"}");
        write(file, lines);

        AuditLogVerifier.Result r = AuditLogVerifier.verify(file);

        assertThat(r.problem().get().line()).isEqualTo(3);
        assertThat(r.problem().get().message()).contains("not an audit entry");
    }
}
