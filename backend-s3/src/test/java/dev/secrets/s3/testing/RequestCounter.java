package dev.secrets.s3.testing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
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
    private final List<String> refusedResent = new CopyOnWriteArrayList<>();
    /** The attempts of one call so far: the SDK keeps one set of attributes per call, across its attempts. */
    private static final ExecutionAttribute<AtomicInteger> CALL_ATTEMPTS = new ExecutionAttribute<>("RequestCounter.attempts");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(CALL_ATTEMPTS, new AtomicInteger());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.incrementAndGet();
        attributes.getAttribute(CALL_ATTEMPTS).incrementAndGet();
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
            } else if (status == 412 && attributes.getAttribute(CALL_ATTEMPTS).get() == 1) {
                refused.add(path);
            } else if (status == 412) {
                refusedResent.add(path);
            }
        }
    }

    /** Object paths ({@code /bucket/key}) of every PUT that created its object ({@code 200}). */
    public List<String> createdPaths() {
        return List.copyOf(created);
    }

    /** Object paths of every PUT refused with {@code 412} at its first send: the object already existed. */
    public List<String> refusedPaths() {
        return List.copyOf(refused);
    }

    /**
     * Object paths of every PUT refused with {@code 412} when the SDK sent it again: the object existed, which
     * may be the work of the call's own earlier send, landed though the client saw it fail.
     */
    public List<String> refusedResentPaths() {
        return List.copyOf(refusedResent);
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
        refusedResent.clear();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
