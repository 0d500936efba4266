package dev.secrets.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The per-thread count behind cached-read audit: exact under racing takes, first/last readings, ended threads. */
class PerThreadCountTest {

    @Test
    void aTake_reportsTheCountAndTheFirstAndLastReadings_andACommitStartsAfresh() {
        PerThreadCount c = new PerThreadCount();
        assertThat(c.take()).as("nothing counted").isNull();
        c.add(100);
        c.add(105);
        c.add(130);

        PerThreadCount.Taken t = c.take();
        assertThat(t.count).isEqualTo(3);
        assertThat(t.first).isEqualTo(100);
        assertThat(t.last).isEqualTo(130);
        c.commit(t);
        assertThat(c.take()).as("all committed").isNull();

        c.add(200);
        PerThreadCount.Taken next = c.take();
        assertThat(next.count).isEqualTo(1);
        assertThat(next.first).isEqualTo(200);
        assertThat(next.last).isEqualTo(200);
    }

    @Test
    void aRestoredTake_isReportedAgain_withItsFirstReading() {
        PerThreadCount c = new PerThreadCount();
        c.add(100);
        c.add(110);
        PerThreadCount.Taken refused = c.take();
        c.restore(refused); // the sinks refused it
        c.add(120);

        PerThreadCount.Taken t = c.take();
        assertThat(t.count).isEqualTo(3);
        assertThat(t.first).isEqualTo(100);
        assertThat(t.last).isEqualTo(120);
    }

    @Test
    void countsOfManyThreads_withTakesRacingWithThem_sumExactly_andTheirReadingsAreMerged() throws Exception {
        PerThreadCount c = new PerThreadCount();
        int threads = 16;
        int each = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            long tick = 1_000 + i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int n = 0; n < each; n++) {
                    c.add(tick);
                }
            });
            all.add(t);
            t.start();
        }
        start.countDown();
        long sum = 0;
        boolean running = true;
        while (running) {
            running = all.stream().anyMatch(Thread::isAlive);
            PerThreadCount.Taken t = c.take();
            if (t != null) {
                assertThat(t.first).isBetween(1_000L, 1_000L + threads - 1);
                assertThat(t.last).isBetween(t.first, 1_000L + threads - 1);
                sum += t.count;
                c.commit(t);
            }
        }
        assertThat(sum).isEqualTo((long) threads * each);
        assertThat(c.take()).isNull();
    }

    @Test
    void slotsOfEndedThreads_areDroppedOnceCommitted_soAPoolThatReplacesItsThreadsDoesNotGrowTheTable() throws Exception {
        PerThreadCount c = new PerThreadCount();
        long sum = 0;
        for (int round = 0; round < 200; round++) {
            Thread t = new Thread(() -> c.add(7));
            t.start();
            t.join();
            PerThreadCount.Taken taken = c.take();
            sum += taken.count;
            c.commit(taken);
        }
        assertThat(sum).isEqualTo(200);
        assertThat(c.slotCount()).as("slots held after 200 short-lived threads").isLessThanOrEqualTo(2);
    }

    @Test
    void anEndedThreadsUncommittedCount_isKept() throws Exception {
        PerThreadCount c = new PerThreadCount();
        for (int round = 0; round < 50; round++) { // ended threads with uncommitted counts: none may be dropped
            Thread t = new Thread(() -> c.add(7));
            t.start();
            t.join();
        }
        assertThat(c.take().count).isEqualTo(50);
    }
}
