package dev.secrets.benchmarks;

import dev.secrets.audit.AuditLogVerifier;
import dev.secrets.audit.JsonLinesAuditSink;
import dev.secrets.spi.AuditEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Synchronous audit events per second into the chained JSON-lines file ({@link JsonLinesAuditSink},
 * fsync on, a fresh file in the temporary directory), from 1, 4 and 16 threads of one process.
 * {@code grouped}: the sink as it is — threads that append at the same time share one file lock and
 * one fsync (group commit). {@code oneByOne}: the same sink with every call serialised by one lock
 * around it, so each event takes its own file lock and fsync — what the sink did before group
 * commit. Each event is a {@code secret.write} of its own secret ID. The file is verified after
 * each trial ({@link AuditLogVerifier}): a broken chain fails the benchmark.
 *
 * <p>Reported (events/s, higher is better), no target; the ratio grouped / oneByOne is the gain.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AuditSinkBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AuditSinkBenchmark {
    /** {@code grouped}: group commit; {@code oneByOne}: one lock and one fsync per event. */
    @Param({"grouped", "oneByOne"})
    public String variant;

    private Path dir;
    private JsonLinesAuditSink sink;
    private boolean serialised;
    private final Object oneAtATime = new Object();

    @Setup(Level.Trial)
    public void setUp() {
        dir = Fixtures.tempDir("audit-sink");
        sink = new JsonLinesAuditSink(dir.resolve("audit.log"));
        serialised = variant.equals("oneByOne");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        AuditLogVerifier.Result r = AuditLogVerifier.verify(sink.file());
        System.out.printf("%n[teardown] %s%n", r);
        Fixtures.deleteTree(dir);
        if (!r.valid()) {
            throw new IllegalStateException("the audit log does not verify: " + r);
        }
    }

    /** Per thread: its own secret ID. */
    @State(Scope.Thread)
    public static class Writer {
        String secretId;
        long n;

        @Setup(Level.Trial)
        public void setUp() {
            secretId = "bench/" + Thread.currentThread().getName() + "/db";
        }
    }

    private void record(Writer w) {
        AuditEvent e = new AuditEvent(Instant.now(), "secret.write", w.secretId, "v" + (++w.n), AuditEvent.SUCCESS, null, "bench");
        if (serialised) {
            synchronized (oneAtATime) {
                sink.record(e);
            }
        } else {
            sink.record(e);
        }
    }

    @Benchmark
    @Threads(1)
    public void threads1(Writer w) {
        record(w);
    }

    @Benchmark
    @Threads(4)
    public void threads4(Writer w) {
        record(w);
    }

    @Benchmark
    @Threads(16)
    public void threads16(Writer w) {
        record(w);
    }
}
