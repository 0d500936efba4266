package dev.secrets.s3;

import dev.secrets.ConflictException;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.IsolatedConfig;
import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One writer of {@link S3ConcurrentWritersTest}: its own {@link SecretsClient}, opened from the store
 * URI through the backend's {@code ServiceLoader} registration and the AWS SDK's default credentials
 * chain, as an application would. Run in the test JVM ({@link #run}) or as a child JVM ({@link #main}:
 * {@code STORE_URI NAME ITERATIONS}, master key root in the environment variable {@code S3IT_KEY}).
 *
 * <p>Each iteration writes a new value (taking {@code CURRENT}) with the idempotency token
 * {@code NAME-i}, moves its own label {@code W-NAME} to it, then moves the label {@code SHARED} to it,
 * and reports each acknowledged step as a line: {@code PUT versionId value}, {@code MOVE label versionId}.
 * A step may fail only with the declared, retryable {@link ConflictException}: it is reported as
 * {@code CONFLICT put|move} and retried (the put with its token, so a put that did land is not written
 * twice) until acknowledged. Any other failure ends the writer with that exception.
 */
public final class ConcurrentWriter {
    static final String SECRET = "shared/app-db";

    private ConcurrentWriter() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        run(args[0], args[1], Integer.parseInt(args[2]), line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        });
    }

    private static final int MAX_CONFLICTS = 100;

    /** Runs {@code step} again after each {@link ConflictException}, reporting each, up to {@value #MAX_CONFLICTS} times. */
    private static String untilAcknowledged(String what, Supplier<String> step, Consumer<String> ack) {
        for (int conflicts = 0; ; conflicts++) {
            try {
                return step.get();
            } catch (ConflictException e) {
                ack.accept("CONFLICT " + what);
                if (conflicts == MAX_CONFLICTS) {
                    throw e;
                }
            }
        }
    }

    static void run(String storeUri, String name, int iterations, Consumer<String> ack) {
        SecretsConfig config = IsolatedConfig.get();
        try (SecretsClient client = SecretsClient.builder().config(config).store(storeUri).masterKey("default", "env:S3IT_KEY")
                .environment(k -> k.equals("S3IT_KEY") ? S3ConcurrentWritersTest.ROOT_KEY_BASE64 : System.getenv(k)).build()) {
            Label own = Label.of("W-" + name);
            Label shared = Label.of("SHARED");
            for (int i = 0; i < iterations; i++) {
                String value = name + "-" + i;
                PutSecretValueRequest put = PutSecretValueRequest.of(SECRET, SecretValue.ofText(value)).withToken(value);
                String version = untilAcknowledged("put", () -> client.putSecretValue(put), ack);
                ack.accept("PUT " + version + " " + value);
                for (Label label : new Label[] {own, shared}) {
                    untilAcknowledged("move", () -> {
                        client.moveLabel(SECRET, label, version);
                        return version;
                    }, ack);
                    ack.accept("MOVE " + label.name() + " " + version);
                }
            }
        }
    }
}
