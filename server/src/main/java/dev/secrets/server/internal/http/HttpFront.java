package dev.secrets.server.internal.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.secrets.StoreUnavailableException;
import dev.secrets.server.internal.api.AwsError;
import dev.secrets.server.internal.api.Call;
import dev.secrets.server.internal.api.Dispatcher;
import dev.secrets.server.internal.auth.AccessKeyStore;
import dev.secrets.server.internal.auth.Authenticator;
import dev.secrets.server.internal.auth.SigV4Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * The HTTP side, on the JDK's {@code com.sun.net.httpserver} (HTTP/1.1, keep-alive, TLS through an
 * {@link SSLContext}): {@code POST /} with {@code X-Amz-Target: secretsmanager.ACTION}, body at most
 * {@value #MAX_BODY} bytes; {@code GET /health}; {@code GET /metrics} from loopback only.
 *
 * <p>Order of a request: size → target known → SigV4 → JSON → action. A refusal at any step writes
 * nothing. Request bodies, values and signatures are never logged; an unexpected failure is logged
 * by its class and stack, and the caller sees only {@code InternalServiceError}.
 */
public final class HttpFront implements AutoCloseable {
    /** Largest request body read (AWS's own request limit is of this order; a value is at most 64 KiB). */
    public static final int MAX_BODY = 256 * 1024;
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;
    private static final String JSON_TYPE = "application/x-amz-json-1.1";
    private static final Logger LOG = Logger.getLogger(HttpFront.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Seconds from a request's first byte until its headers and body have all arrived (JDK default: none). */
    public static final String REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    /** Seconds a kept-alive connection may sit idle between requests (the JDK's default, made explicit). */
    public static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";
    /** Connections open at once; more are closed as soon as they are accepted (JDK default: unbounded). */
    public static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    /** Bytes of a request's line and headers (JDK default: 380 KiB). */
    public static final String MAX_HEADER_SIZE = "sun.net.httpserver.maxReqHeaderSize";

    static {
        // The JDK's server reads these once, when its configuration class loads: set them before
        // the first server of this JVM. A value the operator set (-D…) is kept.
        //
        // Nagle's algorithm is on unless told otherwise: the response headers and body go out as
        // two writes, and the second waits for the client's delayed ACK, about 40 ms per request
        // (ServerBenchmark measured 21 requests/s for one client against 900 with this set).
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        // Without a request time, a client that sends half a header holds its connection (and the
        // thread reading it) for ever; without a connection bound, idle sockets pile up until the
        // process runs out of descriptors. A connection that sends nothing is closed after
        // min(idle interval, request time), checked every 10 s (sun.net.httpserver.clockTick).
        setIfAbsent(REQUEST_TIME, "10");
        setIfAbsent(IDLE_INTERVAL, "30");
        setIfAbsent(MAX_CONNECTIONS, "1024");
        // An SDK's request line and headers are about 1 KiB; 16 KiB × 1024 connections bounds
        // what half-sent headers can hold in memory.
        setIfAbsent(MAX_HEADER_SIZE, "16384");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final Semaphore working;
    private final Dispatcher dispatcher;
    private final Authenticator auth;
    private final Metrics metrics;
    private final BooleanSupplier healthy;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    public HttpFront(InetSocketAddress bind, SSLContext tls, int threads, Dispatcher dispatcher, Authenticator auth,
                     Metrics metrics, BooleanSupplier healthy) throws IOException {
        this.dispatcher = dispatcher;
        this.auth = auth;
        this.metrics = metrics;
        this.healthy = healthy;
        if (tls != null) {
            HttpsServer s = HttpsServer.create(bind, 256);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = s;
        } else {
            this.server = HttpServer.create(bind, 256);
        }
        // The JDK server reads a request's line and headers on an executor thread, blocking: with a
        // pool of `threads`, that many clients sending half a header would leave no thread for
        // anyone else until the request time closes them. So the pool grows with the connections
        // being read (at most the connection bound; a thread idle 30 s ends), and `threads` bounds
        // only the requests being answered, which is what holds bodies and store calls.
        int maxConnections = Integer.getInteger(MAX_CONNECTIONS, -1);
        int readers = maxConnections > 0 ? Math.max(threads, maxConnections) : Integer.MAX_VALUE;
        this.working = new Semaphore(threads, true);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, readers, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "secrets-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            if (closing) {
                send(ex, 503, JSON_TYPE, error(new AwsError("ServiceUnavailableException", 503, "The server is shutting down.")));
                ex.close();
                return;
            }
            working.acquireUninterruptibly();
            try {
                serve(ex);
            } finally {
                working.release();
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        String action = "-";
        int status = 500;
        try {
            String path = ex.getRequestURI().getRawPath();
            if ("GET".equals(ex.getRequestMethod()) && "/health".equals(path)) {
                action = "health";
                boolean up = healthy.getAsBoolean();
                status = up ? 200 : 503;
                send(ex, status, "application/json", JsonNodeFactory.instance.objectNode().put("status", up ? "UP" : "DOWN"));
                return;
            }
            if ("GET".equals(ex.getRequestMethod()) && "/metrics".equals(path)) {
                action = "metrics";
                if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
                    status = 403;
                    send(ex, status, "application/json", JsonNodeFactory.instance.objectNode().put("message", "loopback only"));
                    return;
                }
                status = 200;
                send(ex, status, "application/json", metrics.snapshot());
                return;
            }
            ObjectNode answer;
            try {
                action = target(ex);
                answer = answer(ex, action);
                status = 200;
            } catch (StoreUnavailableException e) {
                // the store did not answer while checking the caller's key (the dispatcher maps it
                // the same way for the action itself)
                status = 503;
                answer = error(AwsError.unavailable());
            } catch (AwsError e) {
                status = e.status();
                answer = error(e);
                if (status == 500) {
                    LOG.log(Level.SEVERE, "unexpected failure of " + action, e.getCause());
                }
            }
            send(ex, status, JSON_TYPE, answer);
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.SEVERE, "unexpected failure of " + action, e);
            status = 500;
            try {
                send(ex, 500, JSON_TYPE, error(AwsError.internal()));
            } catch (IOException | RuntimeException ignored) {
                // the connection is gone; nothing more to tell
            }
        } finally {
            ex.close();
            metrics.record(action, status, System.nanoTime() - start);
        }
    }

    private String target(HttpExchange ex) {
        if (!"POST".equals(ex.getRequestMethod()) || !"/".equals(ex.getRequestURI().getRawPath())) {
            throw AwsError.unknownOperation("Only POST / with X-Amz-Target is served.");
        }
        String t = ex.getRequestHeaders().getFirst("X-Amz-Target");
        if (t == null || !t.startsWith("secretsmanager.")) {
            throw AwsError.unknownOperation("Missing or foreign X-Amz-Target; expected secretsmanager.ACTION.");
        }
        String action = t.substring("secretsmanager.".length());
        dispatcher.requireKnown(action);
        return action;
    }

    private ObjectNode answer(HttpExchange ex, String action) throws IOException {
        byte[] body = readBody(ex);
        AccessKeyStore.Resolved caller = auth.authenticate(new SigV4Verifier.Request(ex.getRequestMethod(),
                ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), ex.getRequestHeaders(), body));
        JsonNode parsed;
        try {
            parsed = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw AwsError.serialization("The request body is not valid JSON.");
        }
        if (parsed == null || !parsed.isObject()) {
            throw AwsError.serialization("The request body must be a JSON object.");
        }
        ObjectNode obj = (ObjectNode) parsed;
        return dispatcher.dispatch(action, new Call(caller.name(), caller.policy(), obj), obj);
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw AwsError.serialization("Invalid Content-Length.");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            if (declared > MAX_BODY) {
                // Read and drop a moderately large body so the client gets the 413 instead of a
                // broken pipe; a huge one only costs the connection.
                if (declared <= DRAIN_LIMIT) {
                    byte[] sink = new byte[64 * 1024];
                    while (in.read(sink) >= 0) {
                        // dropped
                    }
                }
                throw tooLarge();
            }
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw tooLarge();
            }
            return b;
        }
    }

    private static AwsError tooLarge() {
        return new AwsError("SerializationException", 413, "The request body is larger than " + MAX_BODY + " bytes.");
    }

    private static ObjectNode error(AwsError e) {
        return JsonNodeFactory.instance.objectNode().put("__type", e.type()).put("message", e.getMessage());
    }

    private static void send(HttpExchange ex, int status, String type, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (status >= 400 && body.has("__type")) {
            ex.getResponseHeaders().set("x-amzn-ErrorType", body.get("__type").asText());
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting, lets in-flight requests finish for up to {@code graceSeconds}, then stops the threads. */
    public void stop(int graceSeconds) {
        // The JDK 17 HttpServer.stop(delay) waits the whole delay even when idle: count in-flight
        // requests ourselves, answer 503 to new ones, and stop the listener once they are done.
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        pool.shutdown();
        try {
            pool.awaitTermination(graceSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(30);
    }

}
