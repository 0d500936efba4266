package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.spi.AuditEvent;
import dev.secrets.testing.Canary;
import dev.secrets.testing.IsolatedConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary value never shows up in any exception message, {@code toString()}, standard output or
 * error, JUL log record or audit event produced while exercising every error path — and never
 * reaches the disk in plaintext.
 */
class FileStoreLeakTest {
    private static final String CANARY = Canary.VALUE;
    private static final byte[] KEY = "leak-test-master-key-0123456789a".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final List<String> produced = new ArrayList<>();
    private int expected;

    /** Runs a call that must fail, and keeps everything its exception says for the leak checks. */
    private void expectFailure(Supplier<?> action) {
        expected++;
        Object result;
        try {
            result = action.get();
        } catch (RuntimeException e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            produced.add(w.toString());
            for (Throwable t = e; t != null; t = t.getCause()) {
                produced.add(t.toString());
                produced.add(String.valueOf(t.getMessage()));
            }
            return;
        }
        // The result itself is not shown: it may hold the canary.
        throw new AssertionError("expected failure number " + expected + " did not happen: the call, but it returned a "
                + (result == null ? "null" : result.getClass().getSimpleName()));
    }

    @Test
    void theCanaryNeverLeaks_intoMessagesToStringsLogsAuditOrTheDisk() throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> logs = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logs.add(r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())
                        + " " + r.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        root.addHandler(handler);
        root.setLevel(Level.ALL);
        List<AuditEvent> audit = new CopyOnWriteArrayList<>();
        Path store = dir.resolve("store");
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            try (SecretsClient client = SecretsClient.builder()
                    .config(IsolatedConfig.get())
                    .store("file:" + store).masterKey("default", KEY).auditSink(audit::add).cacheTtl(Duration.ZERO).build()) {
                exercise(client, store);
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(handler);
            root.setLevel(level);
        }

        assertThat(produced).hasSizeGreaterThan(40);
        assertThat(produced).noneSatisfy(s -> assertThat(s).contains(CANARY));
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(CANARY);
        assertThat(logs).noneSatisfy(s -> assertThat(s).contains(CANARY));
        assertThat(audit).isNotEmpty().noneSatisfy(e -> assertThat(e.toString()).contains(CANARY));
        byte[] canary = CANARY.getBytes(StandardCharsets.UTF_8);
        byte[] canaryB64 = Base64.getEncoder().encodeToString(canary).substring(0, 12).getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.walk(store)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] content = Files.readAllBytes(f);
                assertThat(indexOf(content, canary)).as("plaintext canary in %s", f).isNegative();
                assertThat(indexOf(content, canaryB64)).as("base64 canary in %s", f).isNegative();
            }
        }
    }

    private void exercise(SecretsClient client, Path store) throws IOException {
        SecretValue text = SecretValue.ofText(CANARY);
        SecretValue fields = SecretValue.ofFields(Map.of("username", "app", "password", CANARY));
        SecretValue bytes = SecretValue.ofBytes(CANARY.getBytes(StandardCharsets.UTF_8));
        produced.add(text.toString());
        produced.add(fields.toString());
        produced.add(bytes.toString());
        client.createSecret(CreateSecretRequest.of("leak/text", SecretKind.GENERIC, text));
        client.createSecret(CreateSecretRequest.of("leak/db", SecretKind.DATABASE, fields));
        client.createSecret(CreateSecretRequest.of("leak/bin", SecretKind.GENERIC, bytes));
        for (String id : List.of("leak/text", "leak/db", "leak/bin")) {
            SecretVersion v = client.getSecretValue(id);
            produced.add(v.toString());
            produced.add(v.value().toString());
            produced.add(client.describeSecret(id).toString());
        }
        produced.add(client.listSecrets(ListSecretsRequest.all()).toString());
        produced.add(CreateSecretRequest.of("x", SecretKind.GENERIC, text).toString());
        produced.add(PutSecretValueRequest.of("x", fields).withToken("t").toString());
        produced.add(client.toString());

        // Values that do not fit: messages name the field, never the value.
        expectFailure(() -> client.createSecret(CreateSecretRequest.of("leak/x", SecretKind.RDS, SecretValue.ofFields(Map.of("password", CANARY)))));
        expectFailure(() -> client.createSecret(CreateSecretRequest.of("leak/x", SecretKind.RDS, text)));
        expectFailure(() -> client.createSecret(CreateSecretRequest.of("leak/x", SecretKind.RDS,
                SecretValue.ofFields(Map.of("username", "u", "password", "p", "port", CANARY)))));
        expectFailure(() -> client.createSecret(CreateSecretRequest.of("leak/x", SecretKind.RDS,
                SecretValue.ofFields(Map.of("username", "u", "password", "p", "host", 5)))));
        expectFailure(() -> SecretValue.ofJson("{\"password\": \"" + CANARY));
        expectFailure(() -> SecretValue.ofJson("{\"password\": " + CANARY + "}"));
        expectFailure(() -> SecretValue.ofJson("[\"" + CANARY + "\"]"));
        expectFailure(() -> SecretValue.ofJson("{\"a\":{\"b\":\"" + CANARY + "\"}}"));
        expectFailure(() -> SecretValue.ofFields(Map.of("a", List.of(CANARY))));
        expectFailure(() -> SecretValue.ofText(CANARY.repeat(7000)));
        expectFailure(() -> fields.field("missing"));
        expectFailure(() -> text.fields());
        expectFailure(() -> bytes.text());
        expectFailure(() -> client.putSecretValue("leak/db", text));
        // Idempotency token reused with another value.
        client.putSecretValue(PutSecretValueRequest.of("leak/text", SecretValue.ofText(CANARY + "2")).withToken("tok"));
        expectFailure(() -> client.putSecretValue(PutSecretValueRequest.of("leak/text", SecretValue.ofText(CANARY + "3")).withToken("tok")));
        // Wrong and missing master keys.
        SecretsClient wrong = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .store("file:" + store).masterKey("default", new byte[32]).build();
        expectFailure(() -> wrong.getSecretValue("leak/text"));
        SecretsClient keyless = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .store("file:" + store).build();
        expectFailure(() -> keyless.getSecretValue("leak/db"));
        produced.add(keyless.describeSecret("leak/db").toString());
        // Tampering.
        Path record;
        try (Stream<Path> s = Files.list(store.resolve("secrets/leak/db"))) {
            record = s.filter(p -> p.getFileName().toString().startsWith("~")).findFirst().orElseThrow();
        }
        byte[] original = Files.readAllBytes(record);
        for (int pos : new int[] {30, original.length / 2, original.length - 20}) {
            byte[] flipped = original.clone();
            flipped[pos] ^= 0x01;
            Files.write(record, flipped);
            expectFailure(() -> client.getSecretValue("leak/db"));
            expectFailure(() -> client.describeSecret("leak/db"));
        }
        Files.write(record, original);
        // Scheduled deletion, labels, versions.
        client.deleteSecret("leak/bin", 7);
        expectFailure(() -> client.getSecretValue("leak/bin"));
        expectFailure(() -> client.getSecretValue(GetSecretValueRequest.of("leak/text").withLabel(Label.PENDING)));
        expectFailure(() -> client.getSecretValue(GetSecretValueRequest.of("leak/text").withVersionId("nope")));
        expectFailure(() -> {
            client.moveLabel("leak/text", Label.CURRENT, "nope");
            return null;
        });
        wrong.close();
        keyless.close();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
