package dev.secrets.server.internal.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts per action and HTTP status, and latency over the last {@value #WINDOW} requests
 * (p50, p99, max). Lock-free on the request path. Thread-safe.
 */
public final class Metrics {
    static final int WINDOW = 4096;

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicLongArray latencies = new AtomicLongArray(WINDOW);
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder total = new LongAdder();

    public void record(String action, int status, long nanos) {
        counts.computeIfAbsent(action + " " + status, k -> new LongAdder()).increment();
        latencies.set(Math.floorMod(next.getAndIncrement(), WINDOW), nanos);
        total.increment();
    }

    public ObjectNode snapshot() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("requests", total.sum());
        ObjectNode by = o.putObject("byActionAndStatus");
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach(by::put);
        int n = (int) Math.min(total.sum(), WINDOW);
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = latencies.get(i);
        }
        Arrays.sort(l);
        ObjectNode lat = o.putObject("latencyMicros");
        lat.put("window", n);
        if (n > 0) {
            lat.put("p50", l[(int) (n * 0.50)] / 1000);
            lat.put("p99", l[Math.min(n - 1, (int) (n * 0.99))] / 1000);
            lat.put("max", l[n - 1] / 1000);
        }
        return o;
    }
}
