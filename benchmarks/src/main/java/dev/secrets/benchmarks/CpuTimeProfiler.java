package dev.secrets.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the CPU time the benchmark's JVM spent per operation ({@code ·cpu.time/op}, ns), user
 * and system, every thread included (the benchmark threads, an embedded server's threads, GC, JIT).
 * On a machine shared with other work the wall-clock score measures the scheduler as much as the
 * code; CPU time per operation does not grow when the benchmark waits for a core, so ratios of it
 * stay meaningful under load. It does not count time spent waiting for a disk or a socket, and it
 * counts the CPU of per-invocation setup methods, which the score excludes.
 *
 * <p>Use: {@code java -jar benchmarks/target/benchmarks.jar -prof dev.secrets.benchmarks.CpuTimeProfiler}
 * ({@code benchmarks/run full} adds it).
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long start;

    @Override
    public String getDescription() {
        return "process CPU time (user + system, all threads) per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - start;
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0 || cpu < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("·cpu.time/op", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
