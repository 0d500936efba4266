package dev.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.ListSecretsRequest;
import dev.secrets.server.testing.ServerFixture;
import dev.secrets.server.testing.Signing;
import dev.secrets.spi.AuditEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at the HTTP level, as raw requests signed by the SDK's own signer: each answers AWS's
 * error type and status with a clear message, never a stack trace, and writes nothing. Values and
 * bodies never reach a log or an audit event (canary). {@code /health} and {@code /metrics}.
 */
class HttpFrontTest {
    private static final String CANARY = "canary-Hq7Zp-never-logged";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

    @TempDir
    Path dir;

    private ServerFixture fx;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() {
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("").setLevel(Level.ALL);
        fx = ServerFixture.start("file:" + dir.resolve("store"));
    }

    @AfterEach
    void stop() {
        fx.close();
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("").setLevel(Level.INFO);
    }

    private record Answer(int status, JsonNode body, String raw) {
        String type() {
            return body.path("__type").asText();
        }
    }

    private Answer post(String target, String body, Clock signingClock, boolean sign) throws Exception {
        return post(target, body.getBytes(StandardCharsets.UTF_8), signingClock, sign, fx.admin);
    }

    private Answer post(String target, byte[] body, Clock signingClock, boolean sign, AccessKeys.Pair key) throws Exception {
        URI uri = URI.create(fx.endpoint() + "/");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (sign) {
            Map<String, List<String>> h = Signing.sign(uri, target, body, key.accessKeyId(), key.secretAccessKey(), "us-east-1",
                    signingClock);
            h.forEach((k, vs) -> {
                if (!RESTRICTED.contains(k.toLowerCase())) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
        } else {
            b.header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "secretsmanager." + target);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r.body());
    }

    private void assertRefused(Answer a, int status, String type) {
        assertThat(a.status()).as(a.raw()).isEqualTo(status);
        assertThat(a.type()).as(a.raw()).isEqualTo(type);
        assertThat(a.body().path("message").asText()).isNotBlank();
        assertThat(a.raw()).doesNotContain("at dev.secrets").doesNotContain("Exception:").doesNotContain(CANARY);
    }

    private void assertNothingWritten() {
        assertThat(fx.client.listSecrets(ListSecretsRequest.all().withPrefix("bad")).items()).isEmpty();
    }

    private static String create(String extra) {
        return "{\"Name\":\"bad/one\",\"SecretString\":\"" + CANARY + "\"" + extra + "}";
    }

    @Test
    void signedRequest_isServed() throws Exception {
        Answer a = post("CreateSecret", "{\"Name\":\"good\",\"SecretString\":\"" + CANARY + "\"}", Clock.systemUTC(), true);
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        assertThat(a.body().path("ARN").asText()).startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:good-");
    }

    @Test
    void malformedJson_isSerializationException() throws Exception {
        assertRefused(post("CreateSecret", "{\"Name\":\"bad/one\",\"SecretString\":\"" + CANARY, Clock.systemUTC(), true),
                400, "SerializationException");
        assertRefused(post("CreateSecret", "[1,2]", Clock.systemUTC(), true), 400, "SerializationException");
        assertRefused(post("CreateSecret", "{\"Name\":\"bad/one\",\"SecretString\":5}", Clock.systemUTC(), true),
                400, "SerializationException");
        assertNothingWritten();
    }

    @Test
    void unknownField_isSerializationException() throws Exception {
        assertRefused(post("CreateSecret", create(",\"SecretStrin\":\"x\""), Clock.systemUTC(), true), 400, "SerializationException");
        assertNothingWritten();
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void bodyOverTheLimit_is413() throws Exception {
        String big = "{\"Name\":\"bad/big\",\"SecretString\":\"" + "x".repeat(300 * 1024) + "\"}";
        assertRefused(post("CreateSecret", big, Clock.systemUTC(), true), 413, "SerializationException");
        // a value over 64 KiB inside the limit is refused by the library's own rule
        String value = "{\"Name\":\"bad/value\",\"SecretString\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertRefused(post("CreateSecret", value, Clock.systemUTC(), true), 400, "InvalidParameterException");
        assertNothingWritten();
    }

    @Test
    void unknownAction_isUnknownOperation() throws Exception {
        assertRefused(post("Frobnicate", "{}", Clock.systemUTC(), true), 400, "UnknownOperationException");
    }

    @Test
    void missingSignature_is403_andStaleTimestamp_isInvalidSignature() throws Exception {
        assertRefused(post("CreateSecret", create(""), Clock.systemUTC(), false), 403, "MissingAuthenticationTokenException");
        assertRefused(post("CreateSecret", create(""), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)), true),
                400, "InvalidSignatureException");
        assertNothingWritten();
        List<AuditEvent> refused = fx.audit.stream().filter(e -> e.action().equals("server.auth")).toList();
        assertThat(refused).extracting(AuditEvent::errorClass)
                .containsExactly("MissingAuthenticationTokenException", "InvalidSignatureException");
        assertThat(refused.get(1).principal()).isEqualTo("admin");
    }

    @Test
    void forbiddenAction_isAccessDenied() throws Exception {
        AccessKeys.Pair reader = fx.keys.create("reader", "{\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}}");
        assertRefused(post("CreateSecret", create("").getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), true, reader),
                400, "AccessDeniedException");
        assertNothingWritten();
    }

    @Test
    void valuesAndBodies_neverReachLogsOrAudit() throws Exception {
        post("CreateSecret", "{\"Name\":\"canary\",\"SecretString\":\"" + CANARY + "\"}", Clock.systemUTC(), true);
        post("GetSecretValue", "{\"SecretId\":\"canary\"}", Clock.systemUTC(), true);
        post("CreateSecret", create(",\"Nope\":1"), Clock.systemUTC(), true);
        post("PutSecretValue", "{\"SecretId\":\"canary\",\"SecretString\":\"" + CANARY + "\",\"ClientRequestToken\":\"x\"}",
                Clock.systemUTC(), true);
        for (LogRecord r : logs) {
            assertThat(String.valueOf(r.getMessage())).doesNotContain(CANARY).doesNotContain(fx.admin.secretAccessKey());
            if (r.getParameters() != null) {
                for (Object o : r.getParameters()) {
                    assertThat(String.valueOf(o)).doesNotContain(CANARY);
                }
            }
            if (r.getThrown() != null) {
                assertThat(String.valueOf(r.getThrown())).doesNotContain(CANARY);
            }
        }
        for (AuditEvent e : fx.audit) {
            assertThat(e.toString()).doesNotContain(CANARY).doesNotContain(fx.admin.secretAccessKey());
        }
        assertThat(fx.audit).anySatisfy(e -> assertThat(e.action()).isEqualTo("secret.read"));
    }

    @Test
    void health_isUnauthenticated_andNamesNoSecret_andMetricsCount() throws Exception {
        post("CreateSecret", "{\"Name\":\"hidden-name\",\"SecretString\":\"v\"}", Clock.systemUTC(), true);
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(fx.endpoint() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(h.body()).path("status").asText()).isEqualTo("UP");
        assertThat(h.body()).doesNotContain("hidden-name");
        HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create(fx.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode metrics = JSON.readTree(m.body());
        assertThat(metrics.path("byActionAndStatus").path("CreateSecret 200").asLong()).isEqualTo(1);
        assertThat(metrics.path("latencyMicros").path("window").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(metrics.path("latencyMicros").has("p99")).isTrue();
    }
}
