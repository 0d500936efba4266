package dev.secrets.s3;

import dev.secrets.ConflictException;
import dev.secrets.Label;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * One writer of {@link S3ConcurrentWritersTest}: its own {@link SecretsClient}, opened from the store
 * URI through the backend's {@code ServiceLoader} registration and the AWS SDK's default credentials
 * chain, as an application would. Run in the test JVM ({@link #run}) or as a child JVM ({@link #main}:
 * {@code STORE_URI NAME ITERATIONS}, master key root in the environment variable {@code S3IT_KEY}).
 *
 * <p>Each iteration writes a new value (taking {@code CURRENT}), moves its own label
 * {@code W-NAME} to it, then moves the label {@code SHARED} to it, and reports each acknowledged step
 * as a line: {@code PUT versionId value}, {@code MOVE label versionId}. A step that failed is
 * reported as {@code FAIL …} and is not acknowledged.
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

    static void run(String storeUri, String name, int iterations, Consumer<String> ack) {
        SecretsConfig config = SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build();
        try (SecretsClient client = SecretsClient.builder().config(config).store(storeUri).masterKey("default", "env:S3IT_KEY")
                .environment(k -> k.equals("S3IT_KEY") ? S3ConcurrentWritersTest.ROOT_KEY_BASE64 : System.getenv(k)).build()) {
            Label own = Label.of("W-" + name);
            Label shared = Label.of("SHARED");
            for (int i = 0; i < iterations; i++) {
                String value = name + "-" + i;
                String version;
                try {
                    version = client.putSecretValue(SECRET, SecretValue.ofText(value));
                    ack.accept("PUT " + version + " " + value);
                } catch (ConflictException e) {
                    ack.accept("FAIL put " + e.getMessage());
                    continue;
                }
                for (Label label : new Label[] {own, shared}) {
                    try {
                        client.moveLabel(SECRET, label, version);
                        ack.accept("MOVE " + label.name() + " " + version);
                    } catch (ConflictException e) {
                        ack.accept("FAIL move " + e.getMessage());
                    }
                }
            }
        }
    }
}
