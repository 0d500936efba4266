package dev.secrets.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the CPU time (user and system) that the JVM's Java threads spent per operation
 * ({@code ·cpu.time/op}, ns): the benchmark threads and the threads of embedded servers (s3proxy's
 * Jetty, H2), not the JIT compiler's or the garbage collector's. On a machine shared with other
 * work the wall-clock score measures the scheduler as much as the code; CPU time per operation does
 * not grow while the benchmark waits for a core, so ratios of it stay meaningful under load. It does
 * not count time spent waiting for a disk or a socket; it does count the CPU of per-invocation setup
 * methods, which the score excludes, and misses threads that end within an iteration.
 *
 * <p>Use: {@code java -jar benchmarks/target/benchmarks.jar -prof dev.secrets.benchmarks.CpuTimeProfiler}
 * ({@code benchmarks/run full} adds it).
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Map<Long, Long> start = Map.of();

    @Override
    public String getDescription() {
        return "CPU time of the Java threads (user + system; not JIT or GC) per operation";
    }

    private Map<Long, Long> cpuByThread() {
        Map<Long, Long> out = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t >= 0) {
                out.put(id, t);
            }
        }
        return out;
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = cpuByThread();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = 0;
        for (Map.Entry<Long, Long> e : cpuByThread().entrySet()) {
            cpu += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0 || cpu < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("·cpu.time/op", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
