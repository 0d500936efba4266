package dev.secrets.server.load;

import dev.secrets.testing.IsolatedConfig;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.server.testing.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The mix, from N threads each with its own unchanged AWS SDK client: 90 % GetSecretValue
 * (half on a few hot secrets, which the server keeps in its value cache, half spread over many
 * cold ones, more than its value cache holds) and 10 % PutSecretValue (of a fresh value to a
 * random cold secret). Records every request's latency, every failure (when, what) and every
 * acknowledged write, so a test can check that each is readable afterwards.
 */
final class MixedLoad {
    /** A write the server acknowledged. */
    record Ack(String name, String versionId, String value) {
    }

    /** A request that failed: when its answer came (nanoseconds after the start), the action, AWS's error type (or the client's exception), HTTP status (0: none). */
    record Failure(long atNanos, String action, String type, int status) {
    }

    /** Everything one run saw. */
    static final class Result {
        final long nanos;
        final long[] latencies;
        final long[] putLatencies;
        final List<Ack> acks;
        final List<Failure> failures;

        Result(long nanos, long[] latencies, long[] putLatencies, List<Ack> acks, List<Failure> failures) {
            this.nanos = nanos;
            this.latencies = latencies;
            this.putLatencies = putLatencies;
            this.acks = acks;
            this.failures = failures;
        }

        long requests() {
            return latencies.length;
        }

        double perSecond() {
            return latencies.length / (nanos / 1e9);
        }

        static double percentileMillis(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }

        String summary() {
            return String.format(Locale.ROOT, "%d requests in %.1f s = %.0f requests/s; latency p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms; PutSecretValue p99 %.1f ms (%d writes); %d failures",
                    requests(), nanos / 1e9, perSecond(), percentileMillis(latencies, 50), percentileMillis(latencies, 99),
                    percentileMillis(latencies, 100), percentileMillis(putLatencies, 99), putLatencies.length, failures.size());
        }
    }

    static final String HOT = "load/hot-";
    static final String COLD = "load/cold-";

    private MixedLoad() {
    }

    /** Creates {@code hot} + {@code cold} secrets directly through the library (faster than through the server). */
    static void seed(String storeUri, int hot, int cold) throws Exception {
        try (SecretsClient c = SecretsClient.builder().config(IsolatedConfig.get()).store(storeUri)
                .masterKey("default", ServerFixture.masterKey()).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < hot + cold; i++) {
                String name = i < hot ? HOT + i : COLD + (i - hot);
                done.add(pool.submit(() -> c.createSecret(CreateSecretRequest.of(name, SecretKind.GENERIC,
                        SecretValue.ofText("{\"password\":\"initial " + name + "\"}")))));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
    }

    /** Runs the mix for {@code duration} from {@code threads} threads; {@code clients} gives thread i its client. */
    static Result run(int threads, IntFunction<SecretsManagerClient> clients, int hot, int cold, Duration duration, long seed)
            throws Exception {
        return run(threads, clients, hot, cold, duration, seed, System.nanoTime());
    }

    /** As {@link #run(int, IntFunction, int, int, Duration, long)}, timed from {@code start} ({@link System#nanoTime()}). */
    static Result run(int threads, IntFunction<SecretsManagerClient> clients, int hot, int cold, Duration duration, long seed,
                      long start) throws Exception {
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = start + duration.toNanos();
        List<Future<long[][]>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            SecretsManagerClient sm = clients.apply(t);
            done.add(pool.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(seed * 1000 + thread);
                long[] lat = new long[1 << 16];
                long[] putLat = new long[1 << 13];
                int n = 0;
                int puts = 0;
                for (int i = 0; System.nanoTime() < end; i++) {
                    int dice = rnd.nextInt(100);
                    String action = dice < 10 ? "PutSecretValue" : "GetSecretValue";
                    String name = dice < 10 || dice >= 55 ? COLD + rnd.nextInt(cold) : HOT + rnd.nextInt(hot);
                    long t0 = System.nanoTime();
                    try {
                        if (dice < 10) {
                            String value = "{\"password\":\"load " + thread + "-" + i + "-" + Long.toHexString(rnd.nextLong()) + "\"}";
                            String version = sm.putSecretValue(r -> r.secretId(name).secretString(value)).versionId();
                            acks.add(new Ack(name, version, value));
                        } else {
                            GetSecretValueResponse r = sm.getSecretValue(b -> b.secretId(name));
                            if (!name.equals(r.name()) || r.secretString() == null || !r.secretString().startsWith("{\"password\":")) {
                                failures.add(new Failure(System.nanoTime() - start, action, "wrong answer for " + name, 200));
                            }
                        }
                    } catch (SecretsManagerException e) {
                        failures.add(new Failure(System.nanoTime() - start, action, e.awsErrorDetails().errorCode(), e.statusCode()));
                    } catch (SdkException e) {
                        failures.add(new Failure(System.nanoTime() - start, action, e.getClass().getSimpleName(), 0));
                    }
                    long took = System.nanoTime() - t0;
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = took;
                    if (dice < 10) {
                        if (puts == putLat.length) {
                            putLat = Arrays.copyOf(putLat, puts * 2);
                        }
                        putLat[puts++] = took;
                    }
                }
                return new long[][] {Arrays.copyOf(lat, n), Arrays.copyOf(putLat, puts)};
            }));
        }
        List<long[]> all = new ArrayList<>();
        List<long[]> allPuts = new ArrayList<>();
        for (Future<long[][]> f : done) {
            long[][] r = f.get();
            all.add(r[0]);
            allPuts.add(r[1]);
        }
        long took = System.nanoTime() - start;
        pool.shutdown();
        List<Failure> fs = new ArrayList<>(failures);
        fs.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        return new Result(took, merge(all), merge(allPuts), Collections.unmodifiableList(new ArrayList<>(acks)), fs);
    }

    private static long[] merge(List<long[]> parts) {
        long[] m = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(m);
        return m;
    }

    /** Reads every acknowledged write back by its version ID, from {@code threads} threads; returns the ones missing or different. */
    static List<String> unreadable(List<Ack> acks, int threads, IntFunction<SecretsManagerClient> clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            SecretsManagerClient sm = clients.apply(t);
            done.add(pool.submit(() -> {
                List<String> bad = new ArrayList<>();
                for (int i = thread; i < acks.size(); i += threads) {
                    Ack a = acks.get(i);
                    try {
                        String v = sm.getSecretValue(r -> r.secretId(a.name()).versionId(a.versionId())).secretString();
                        if (!a.value().equals(v)) {
                            bad.add(a.name() + " " + a.versionId() + ": another value");
                        }
                    } catch (SdkException e) {
                        bad.add(a.name() + " " + a.versionId() + ": " + e.getClass().getSimpleName()
                                + (e instanceof SecretsManagerException s ? " " + s.awsErrorDetails().errorCode() : ""));
                    }
                }
                return bad;
            }));
        }
        List<String> bad = new ArrayList<>();
        for (Future<List<String>> f : done) {
            bad.addAll(f.get());
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return bad;
    }

    /** The server's own view ({@code GET /metrics}): latency p50, p99 and max in microseconds over its last requests. */
    static String serverLatency(java.net.URI endpoint) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String body = http.send(java.net.http.HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("latencyMicros").toString();
        } catch (Exception e) {
            return "unknown (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** The machine's load averages (1, 5, 15 minutes), as the kernel reports them. */
    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
