package dev.secrets.file;

import dev.secrets.CreateSecretRequest;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.IsolatedConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM that writes to a file store for {@link FileStoreCrashTest} and
 * {@link FileStoreConcurrencyTest}. Prints {@code ACK …  END} after each acknowledged write (a line
 * cut short by a kill has no {@code END} and does not count). The master key comes from the
 * environment variable {@code TEST_MASTER_KEY} through an {@code env:} key URI.
 *
 * <ul>
 *   <li>{@code crash STORE SECRET FROM MAX}: writes versions {@code vFROM} … {@code v(FROM+MAX)} of SECRET
 *       (value {@code SECRET#i}, idempotency token {@code vi}; {@code v0} creates the secret) until killed.
 *       Before each write it prints {@code BEGIN vi}, in the same write to the pipe as the previous
 *       {@code ACK}, so that a kill of a running child always finds a write begun and not acknowledged.
 *       Tokens never repeat across runs (the parent passes a FROM past every earlier run's), so every
 *       write is a real one, never an idempotent repeat;</li>
 *   <li>{@code step STORE SECRET STEP}: creates SECRET ({@code SECRET#0}), prints {@code CREATED}, then writes
 *       {@code SECRET#1} (token {@code v1}), stopping for good at the file store's durable step STEP
 *       ({@link FileObjectStore.Step}) of its record-log entry: prints {@code STOPPED STEP KEY} and waits to be killed;</li>
 *   <li>{@code concurrent STORE SECRET PROC THREADS WRITES}: after {@code READY}, waits for a line on stdin, then
 *       THREADS threads each write WRITES versions of SECRET (token {@code pPROC-tT-i}) and move labels.</li>
 * </ul>
 */
public final class ChildWriter {
    private ChildWriter() {
    }

    static SecretsClient client(String store) {
        SecretsConfig cfg = IsolatedConfig.get();
        return SecretsClient.builder().config(cfg).store("file:" + store).masterKey("default", "env:TEST_MASTER_KEY").build();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        try (SecretsClient client = client(args[1])) {
            if (args[0].equals("crash")) {
                crash(client, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), out);
            } else if (args[0].equals("step")) {
                step(client, args[2], FileObjectStore.Step.valueOf(args[3]), out);
            } else {
                concurrent(client, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]), out);
            }
        }
    }

    private static void crash(SecretsClient client, String secret, int from, int max, PrintStream out) {
        out.print("BEGIN v" + from + "\n");
        out.flush();
        for (int i = from; i <= from + max; i++) {
            String value = secret + "#" + i;
            String version;
            if (i == 0) {
                client.createSecret(CreateSecretRequest.of(secret, SecretKind.GENERIC, SecretValue.ofText(value)).withToken("v0"));
                version = "v0";
            } else {
                version = client.putSecretValue(PutSecretValueRequest.of(secret, SecretValue.ofText(value)).withToken("v" + i));
            }
            out.print("ACK " + version + " " + value + " END\n" + (i < from + max ? "BEGIN v" + (i + 1) : "DONE") + "\n");
            out.flush();
        }
    }

    private static void step(SecretsClient client, String secret, FileObjectStore.Step step, PrintStream out) throws Exception {
        client.createSecret(CreateSecretRequest.of(secret, SecretKind.GENERIC, SecretValue.ofText(secret + "#0")).withToken("v0"));
        out.println("CREATED");
        String log = "secrets/" + secret + "/";
        CountDownLatch never = new CountDownLatch(1);
        FileObjectStore.faultHook = (reached, key) -> {
            if (reached == step && key.startsWith(log)) {
                out.println("STOPPED " + reached + " " + key);
                try {
                    never.await(); // until killed: nothing after this step runs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("stopped at " + reached);
            }
        };
        client.putSecretValue(PutSecretValueRequest.of(secret, SecretValue.ofText(secret + "#1")).withToken("v1"));
        out.println("NOT STOPPED");
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
