package dev.secrets.s3.testing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the S3 API calls a client makes, by operation name ({@code GetObject}, {@code PutObject},
 * {@code ListObjectsV2}, {@code DeleteObject}); calls on the last-accessed markers that core
 * writes on a read (keys under {@code access/}) are counted apart, as {@code GetObject(access)} and
 * so on. A call counts once however many attempts it took: retries depend on the weather, the
 * cost of an operation does not; {@link #attempts()} counts every HTTP request. Thread-safe.
 */
public final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger preconditionFailed = new AtomicInteger();
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.incrementAndGet();
    }

    @Override
    public void afterMarshalling(Context.AfterMarshalling context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String path = context.httpRequest().encodedPath().replace("%2F", "/");
        String prefix = context.httpRequest().firstMatchingRawQueryParameter("prefix").orElse("").replace("%2F", "/");
        boolean access = path.contains("/access/") || prefix.startsWith("access/") || prefix.contains("/access/");
        counts.computeIfAbsent(access ? op + "(access)" : op, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        int status = context.httpResponse().statusCode();
        if (status == 412) {
            preconditionFailed.incrementAndGet();
        }
        if (context.httpRequest().method().name().equals("PUT")) {
            String path = context.httpRequest().encodedPath().replace("%2F", "/");
            if (status == 200) {
                created.add(path);
            } else if (status == 412) {
                refused.add(path);
            }
        }
    }

    /** Object paths ({@code /bucket/key}) of every PUT that created its object ({@code 200}). */
    public List<String> createdPaths() {
        return List.copyOf(created);
    }

    /** Object paths of every PUT refused with {@code 412}: the object already existed. */
    public List<String> refusedPaths() {
        return List.copyOf(refused);
    }

    /** Responses {@code 412 Precondition Failed}: a create that found its key taken. */
    public int preconditionFailed() {
        return preconditionFailed.get();
    }

    /** HTTP requests sent, every attempt included. */
    public int attempts() {
        return attempts.get();
    }

    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int count(String operation) {
        AtomicInteger n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Counts by operation, sorted by name. */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void reset() {
        counts.clear();
        attempts.set(0);
        preconditionFailed.set(0);
        created.clear();
        refused.clear();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
