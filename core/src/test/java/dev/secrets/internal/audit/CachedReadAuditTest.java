package dev.secrets.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.AuditFailedException;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.SecretsMetrics;
import dev.secrets.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The counting and flushing of cached reads, with a hand-moved ticker and clock and no writer thread. */
class CachedReadAuditTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong ticker = new AtomicLong(5_000 * MS);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

    /** Keeps what it is given in one call per batch; refuses while {@code broken}. */
    private static final class Batches implements AuditSink {
        final List<List<AuditEvent>> batches = new CopyOnWriteArrayList<>();
        volatile boolean broken;

        @Override
        public void record(AuditEvent event) {
            recordAll(List.of(event));
        }

        @Override
        public void recordAll(List<AuditEvent> events) {
            if (broken) {
                throw new AuditFailedException("refused", null);
            }
            batches.add(List.copyOf(events));
        }
    }

    private CachedReadAudit audit(AuditSink sink) {
        return new CachedReadAudit(List.of(sink), "billing", clock, ticker::get, SecretsMetrics.NONE, Duration.ZERO);
    }

    @Test
    void aFlush_writesOneEventPerSecretVersion_withItsCountAndTheFirstAndLastReadTimes() {
        Batches sink = new Batches();
        CachedReadAudit audit = audit(sink);
        CachedReadAudit.Counter v1 = audit.counter("app/db", "v1");
        CachedReadAudit.Counter other = audit.counter("app/api", "k7");
        long t0 = ticker.get();
        assertThat(v1.hit(t0 + 1_000 * MS)).isTrue();
        assertThat(v1.hit(t0 + 1_500 * MS)).isTrue();
        assertThat(v1.hit(t0 + 2_000 * MS)).isTrue();
        other.hit(t0 + 2_500 * MS);
        ticker.set(t0 + 3_000 * MS); // the flush happens at clock time T, ticker t0 + 3 s

        audit.flush();

        Instant t = clock.instant();
        assertThat(sink.batches).singleElement().satisfies(batch -> assertThat(batch).containsExactlyInAnyOrder(
                AuditEvent.cachedReads("app/db", "v1", "billing", t.minusSeconds(2), t.minusSeconds(1), 3),
                AuditEvent.cachedReads("app/api", "k7", "billing", t.minusMillis(500), t.minusMillis(500), 1)));
    }

    @Test
    void hitsUnderACallerPrincipal_areCountedForThatCaller() {
        Batches sink = new Batches();
        CachedReadAudit audit = audit(sink);
        CachedReadAudit.Counter v1 = audit.counter("app/db", "v1");
        long t0 = ticker.get();
        v1.hit(t0);
        CallerPrincipal.callAs("reader-key", () -> v1.hit(t0));
        CallerPrincipal.callAs("reader-key", () -> v1.hit(t0));
        CallerPrincipal.callAs("writer-key", () -> v1.hit(t0));

        audit.flush();

        Instant t = clock.instant();
        assertThat(sink.batches).singleElement().satisfies(batch -> assertThat(batch).containsExactlyInAnyOrder(
                AuditEvent.cachedReads("app/db", "v1", "billing", t, t, 1),
                AuditEvent.cachedReads("app/db", "v1", "reader-key", t, t, 2),
                AuditEvent.cachedReads("app/db", "v1", "writer-key", t, t, 1)));
    }

    @Test
    void theSameCounter_isGivenForTheSameSecretVersion_andAFlushReportsOnlyWhatIsNew() {
        Batches sink = new Batches();
        CachedReadAudit audit = audit(sink);
        assertThat(audit.counter("app/db", "v1")).isSameAs(audit.counter("app/db", "v1"));
        audit.counter("app/db", "v1").hit(ticker.get());
        audit.flush();
        audit.flush(); // nothing new: nothing written
        assertThat(sink.batches).hasSize(1);

        audit.counter("app/db", "v1").hit(ticker.get());
        audit.counter("app/db", "v1").hit(ticker.get());
        audit.close(); // close writes what is left
        assertThat(sink.batches).hasSize(2);
        assertThat(sink.batches.get(1)).singleElement().extracting(AuditEvent::count).isEqualTo(2L);
    }

    @Test
    void aRefusedFlush_keepsItsCounts_andHitsAreRefusedUntilTheSinkRecordsAgain() {
        Batches sink = new Batches();
        CachedReadAudit audit = audit(sink);
        CachedReadAudit.Counter c = audit.counter("app/db", "v1");
        long first = ticker.get();
        c.hit(first);
        c.hit(first + 10 * MS);
        sink.broken = true;

        audit.flush();

        assertThat(sink.batches).isEmpty();
        assertThat(c.hit(first + 20 * MS)).as("a hit must go the synchronous way while the sink refuses").isFalse();

        sink.broken = false;
        ticker.set(first + 100 * MS);
        audit.flush();
        Instant t = clock.instant();
        assertThat(sink.batches).singleElement().isEqualTo(
                List.of(AuditEvent.cachedReads("app/db", "v1", "billing", t.minusMillis(100), t.minusMillis(90), 2)));
        assertThat(c.hit(ticker.get())).isTrue();
    }

    @Test
    void aSynchronousRefusal_refusesHitsAtOnce_andASynchronousSuccessLiftsIt() {
        CachedReadAudit audit = audit(new Batches());
        CachedReadAudit.Counter c = audit.counter("app/db", "v1");
        audit.sinkFailed();
        assertThat(c.hit(ticker.get())).isFalse();
        audit.sinkRecorded();
        assertThat(c.hit(ticker.get())).isTrue();
        Batches sink = new Batches();
        CachedReadAudit counted = audit(sink);
        counted.sinkFailed();
        counted.counter("a", "v").hit(ticker.get());
        counted.flush();
        assertThat(sink.batches).as("a refused hit is not counted: its read was audited on the synchronous path").isEmpty();
    }

    @Test
    void countsFromManyThreads_areExact() throws Exception {
        Batches sink = new Batches();
        CachedReadAudit audit = audit(sink);
        CachedReadAudit.Counter c = audit.counter("app/db", "v1");
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int n = 0; n < 100_000; n++) {
                    c.hit(ticker.get());
                }
            });
            threads[i].start();
        }
        while (threads[0].isAlive()) {
            audit.flush(); // flushes racing with the hits
        }
        for (Thread t : threads) {
            t.join();
        }
        audit.close();
        long sum = sink.batches.stream().flatMap(List::stream).mapToLong(AuditEvent::count).sum();
        assertThat(sum).isEqualTo(400_000);
    }

    @Test
    void hitsFromManyThreads_moreThanTheFastSlots_andThreadsThatEnd_areAllCounted_andEndedThreadsLeaveNoCell() throws Exception {
        Batches sink = new Batches();
        CachedReadAudit audit = audit(sink);
        CachedReadAudit.Counter v1 = audit.counter("app/db", "v1");
        long t0 = ticker.get();
        // 40 threads in 4 waves of 10 (more than the counter's fast slots, and ended before the next wave
        // starts, so later threads take over the slots of ended ones), 2,500 hits each, a flush after each wave.
        for (int wave = 0; wave < 4; wave++) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int n = 0; n < 2_500; n++) {
                        if (!v1.hit(t0)) {
                            throw new AssertionError("a hit was refused");
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            audit.flush();
            assertThat(CachedReadAudit.cells(v1)).as("cells of ended threads are dropped at the flush").isZero();
        }
        assertThat(sink.batches).hasSize(4);
        assertThat(sink.batches).allSatisfy(b -> assertThat(b).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(25_000)));
    }

    @Test
    void aLiveThreadKeepsItsCell_andItsLaterHitsAreCountedOnce() throws Exception {
        Batches sink = new Batches();
        CachedReadAudit audit = audit(sink);
        CachedReadAudit.Counter v1 = audit.counter("app/db", "v1");
        long t0 = ticker.get();
        for (int i = 0; i < 3; i++) {
            v1.hit(t0 + i * MS);
        }
        audit.flush();
        assertThat(CachedReadAudit.cells(v1)).isEqualTo(1);
        v1.hit(t0 + 10 * MS);
        audit.flush();
        audit.flush(); // nothing new: no event
        assertThat(sink.batches).extracting(b -> b.get(0).count()).containsExactly(3L, 1L);
    }
}
