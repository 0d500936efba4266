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
    /** What each test starts with (a new instance per test): a sink, an audit onto it, a counter, the ticker's start. */
    private final Batches sink = new Batches();
    private final CachedReadAudit audit = audit(sink);
    private final CachedReadAudit.Counter v1 = audit.counter("app/db", "v1");
    private final long t0 = ticker.get();

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
        CachedReadAudit.Counter other = audit.counter("app/api", "k7");
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
            assertThat(CachedReadAudit.slotsHeld(v1)).as("and their slots freed for the next threads").isZero();
        }
        assertThat(sink.batches).hasSize(4);
        assertThat(sink.batches).allSatisfy(b -> assertThat(b).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(25_000)));
    }

    @Test
    void aLiveThreadKeepsItsCell_andItsLaterHitsAreCountedOnce() throws Exception {
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

    @Test
    void aRefusal_reachesAThreadReadingThroughItsSlot_atOnce_andTheSlotIsBackWhenTheSinksRecord() throws Exception {
        CallerPrincipal.forgetForTest(); // as in a process that never set a caller: threads take slots
        java.util.concurrent.CyclicBarrier step = new java.util.concurrent.CyclicBarrier(2);
        boolean[] answers = new boolean[3];
        boolean[] inSlot = new boolean[3];
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    answers[i] = v1.hit(t0);
                    inSlot[i] = CachedReadAudit.inSlot(v1, Thread.currentThread());
                    step.await(); // round i done
                    if (i < 2) {
                        step.await(); // the main thread has refused (after round 0) or lifted (after round 1)
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        reader.start();
        step.await();
        assertThat(answers[0]).isTrue();
        assertThat(inSlot[0]).as("the reader's hits take the fast path").isTrue();
        audit.sinkFailed(); // a synchronous audit event failed: the reader's next hit must be refused
        step.await();
        step.await();
        assertThat(answers[1]).as("a hit through a slot after a refusal").isFalse();
        assertThat(inSlot[1]).isFalse();
        audit.sinkRecorded();
        step.await();
        step.await();
        reader.join();
        assertThat(answers[2]).isTrue();
        assertThat(inSlot[2]).as("the slot is claimed again once the sinks record").isTrue();
        audit.flush();
        assertThat(sink.batches).singleElement().satisfies(b -> assertThat(b).singleElement()
                .satisfies(e -> assertThat(e.count()).as("the refused hit is not counted").isEqualTo(2)));
    }

    @Test
    void theFirstCallerPrincipal_takesTheSlots_soAThreadThatHadOneCountsForItsCaller() throws Exception {
        CallerPrincipal.forgetForTest();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch flipped = new java.util.concurrent.CountDownLatch(1);
        boolean[] otherInSlot = new boolean[2];
        Thread t = new Thread(() -> {
            v1.hit(t0);
            otherInSlot[0] = CachedReadAudit.inSlot(v1, Thread.currentThread());
            ready.countDown();
            try {
                flipped.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            v1.hit(t0); // no caller on this thread: still the client's principal
            otherInSlot[1] = CachedReadAudit.inSlot(v1, Thread.currentThread());
        });
        t.start();
        v1.hit(t0);
        assertThat(CachedReadAudit.inSlot(v1, Thread.currentThread())).isTrue();
        ready.await();

        CallerPrincipal.callAs("reader-key", () -> v1.hit(t0)); // the first caller of the process
        flipped.countDown();
        t.join();

        assertThat(CachedReadAudit.slotsHeld(v1)).as("no slot once callers are in use").isZero();
        assertThat(otherInSlot).containsExactly(true, false);
        audit.flush();
        Instant at = clock.instant();
        assertThat(sink.batches).singleElement().satisfies(batch -> assertThat(batch).containsExactlyInAnyOrder(
                AuditEvent.cachedReads("app/db", "v1", "billing", at, at, 3),
                AuditEvent.cachedReads("app/db", "v1", "reader-key", at, at, 1)));
    }

    @Test
    void aHitInTheSameTickAsTheLastBeforeAFlush_isTheFirstTimeOfTheNextEvent() {
        v1.hit(t0 + 10 * MS);
        v1.hit(t0 + 10 * MS);
        audit.flush();
        v1.hit(t0 + 10 * MS); // the ticker has not moved since the last hit, but a flush came between
        v1.hit(t0 + 500 * MS);
        ticker.set(t0 + 1_000 * MS);
        audit.flush();

        Instant t = clock.instant();
        assertThat(sink.batches).hasSize(2);
        assertThat(sink.batches.get(1)).singleElement()
                .isEqualTo(AuditEvent.cachedReads("app/db", "v1", "billing", t.minusMillis(990), t.minusMillis(500), 2));
    }
}
