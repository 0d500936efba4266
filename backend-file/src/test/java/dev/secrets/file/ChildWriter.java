package dev.secrets.file;

import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A child JVM that writes to a file store for {@link FileStoreCrashTest} and
 * {@link FileStoreConcurrencyTest}. Prints {@code ACK …  END} after each acknowledged write (a line
 * cut short by a kill has no {@code END} and does not count). The master key comes from the
 * environment variable {@code TEST_MASTER_KEY} through an {@code env:} key URI.
 *
 * <ul>
 *   <li>{@code crash STORE SECRET MAX}: creates SECRET, then writes values {@code SECRET#i} until killed or MAX;</li>
 *   <li>{@code concurrent STORE SECRET PROC THREADS WRITES}: after {@code READY}, waits for a line on stdin, then
 *       THREADS threads each write WRITES versions of SECRET (token {@code pPROC-tT-i}) and move labels.</li>
 * </ul>
 */
public final class ChildWriter {
    private ChildWriter() {
    }

    static SecretsClient client(String store) {
        SecretsConfig cfg = SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false)
                .build();
        return SecretsClient.builder().config(cfg).store("file:" + store).masterKey("default", "env:TEST_MASTER_KEY").build();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        try (SecretsClient client = client(args[1])) {
            if (args[0].equals("crash")) {
                crash(client, args[2], Integer.parseInt(args[3]), out);
            } else {
                concurrent(client, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]), out);
            }
        }
    }

    private static void crash(SecretsClient client, String secret, int max, PrintStream out) {
        try {
            client.createSecret(CreateSecretRequest.of(secret, SecretKind.GENERIC, SecretValue.ofText(secret + "#0")).withToken("v0"));
        } catch (InvalidSecretException e) {
            // created by an earlier, killed run of this secret
        }
        out.println("ACK v0 " + secret + "#0 END");
        for (int i = 1; i <= max; i++) {
            String value = secret + "#" + i;
            String version = client.putSecretValue(PutSecretValueRequest.of(secret, SecretValue.ofText(value)).withToken("v" + i));
            out.println("ACK " + version + " " + value + " END");
        }
        out.println("DONE");
    }

    private static void concurrent(SecretsClient client, String secret, int proc, int threads, int writes, PrintStream out)
            throws Exception {
        client.describeSecret(secret); // warm up: keyring and classes loaded before the start line
        out.println("READY");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        List<Thread> all = new ArrayList<>();
        Label mine = Label.of("proc-" + proc);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < writes; i++) {
                    String token = "p" + proc + "-t" + thread + "-" + i;
                    try {
                        String v = client.putSecretValue(PutSecretValueRequest.of(secret, SecretValue.ofText("value of " + token))
                                .withToken(token));
                        out.println("ACK " + v + " END");
                        client.moveLabel(secret, mine, v);
                        out.println("LABEL " + mine + " " + v + " END");
                        if (i % 2 == 1) {
                            client.moveLabel(secret, Label.CURRENT, token.substring(0, token.lastIndexOf('-') + 1) + (i - 1));
                            out.println("CURRENT " + token + " END");
                        }
                    } catch (RuntimeException e) {
                        out.println("ERR " + token + " " + e + " END");
                    }
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join();
        }
        out.println("DONE");
    }
}
