package dev.secrets.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.testing.KeyFiles;
import dev.secrets.testing.SoftHsm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rekey killed at random points: child JVMs move the master key between a file root and an HSM
 * root in a loop and are killed with SIGKILL after 0–2 acknowledged rekeys, at a random moment of
 * the next one; rounds go on until 20 children were killed between the start and the
 * acknowledgement of a rekey. After every kill each secret must read back, with its value, through
 * the old root or the new one — never neither — and the store keeps working.
 */
class RekeyCrashTest {
    private static final int KILLS = 20;
    private static final int MAX_ROUNDS = 60;

    @TempDir
    Path dir;

    @BeforeAll
    static void tokens() {
        SoftHsm.start();
    }

    @Test
    void killedRekeys_leaveEverySecretReadableWithOneOfTheTwoRoots() throws Exception {
        Path store = dir.resolve("store");
        String fileRoot = KeyFiles.newRandom(dir.resolve("a.key"));
        String hsmRoot = Pkcs11RootTest.newKey(SoftHsm.TOKEN, "crash-target");
        Map<String, String> values = new LinkedHashMap<>();
        try (SecretsClient c = KeyFixtures.client(store, fileRoot, Map.of())) {
            for (int i = 0; i < 5; i++) {
                c.createSecret(CreateSecretRequest.of("crash/s" + i, SecretKind.GENERIC, SecretValue.ofText("value-" + i)));
                values.put("crash/s" + i, "value-" + i);
            }
            c.rotateMasterKey("default");
        }
        int killedMidRekey = 0;
        List<String> lastLines = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS && killedMidRekey < KILLS; round++) {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int wanted = rnd.nextInt(0, 3); // acknowledged rekeys before the one that is killed
            Process p = start(store, fileRoot, hsmRoot, round);
            List<String> lines = new CopyOnWriteArrayList<>();
            AtomicBoolean rekeying = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(1); // the rekey to kill started, or the child's output ended
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                        if (line.equals("REKEYING " + (wanted + 1))) {
                            rekeying.set(true);
                            started.countDown();
                        }
                    }
                } catch (IOException e) {
                    // killed
                } finally {
                    started.countDown();
                }
            });
            reader.start();
            if (!started.await(120, TimeUnit.SECONDS) || !rekeying.get()) {
                boolean alive = p.isAlive();
                if (alive) { // a thread dump (to the child's standard output, read into lines) says where it hangs
                    new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).inheritIO().start().waitFor();
                    Thread.sleep(2000);
                }
                p.destroyForcibly();
                p.waitFor(60, TimeUnit.SECONDS);
                reader.join(60_000);
                Path stderr = store.resolveSibling("child-stderr.txt");
                throw new AssertionError("child of round " + round + " did not start rekey " + (wanted + 1)
                        + " within 120 s; alive: " + alive + (alive ? "" : ", exit " + p.exitValue())
                        + "; its output: " + lines + "; stderr of the children so far:\n"
                        + (Files.exists(stderr) ? Files.readString(stderr) : "(none)"));
            }
            // A random point within the rekey: a rekey on this machine takes some tens of milliseconds.
            Thread.sleep(rnd.nextInt(0, 60));
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
            reader.join(60_000);
            String last = lines.get(lines.size() - 1);
            lastLines.add(last);
            if (last.startsWith("REKEYING ")) {
                killedMidRekey++; // started, never acknowledged
            }

            String opens = whichRootOpens(store, fileRoot, hsmRoot);
            Map<String, String> env = opens.equals(hsmRoot) ? SoftHsm.environment() : Map.of();
            RekeyTest.assertReadable(store, opens, env, values);
        }
        System.out.println("last line of each killed child: " + lastLines);
        assertThat(killedMidRekey).as("children killed between the start and the acknowledgement of a rekey").isGreaterThanOrEqualTo(KILLS);
        // Finishing: one more rekey with whichever root opens, then the other root opens nothing.
        String opens = whichRootOpens(store, fileRoot, hsmRoot);
        String other = opens.equals(fileRoot) ? hsmRoot : fileRoot;
        try (SecretsClient c = KeyFixtures.client(store, opens, SoftHsm.environment())) {
            assertThat(c.rekey("default", other)).isEqualTo(2);
        }
        RekeyTest.assertReadable(store, other, other.equals(hsmRoot) ? SoftHsm.environment() : Map.of(), values);
    }

    private static String whichRootOpens(Path store, String a, String b) {
        try (SecretsClient c = KeyFixtures.client(store, a, Map.of())) {
            c.describeMasterKey("default");
            return a;
        } catch (WrongMasterKeyException e) {
            try (SecretsClient c = KeyFixtures.client(store, b, SoftHsm.environment())) {
                c.describeMasterKey("default");
                return b;
            }
        }
    }

    /**
     * A child with its own copy of the SoftHSM2 tokens ({@link SoftHsm#privateCopy}): a child killed
     * while SoftHSM2 rewrote the token's {@code token.object} at its login left it empty, and the
     * token unusable for every later process. That is the token's own durability, not the store's,
     * which this test is about; only a copy, with the same key, can be damaged.
     */
    private Process start(Path store, String a, String b, int round) throws Exception {
        Path conf = SoftHsm.privateCopy(dir.resolve("hsm-" + round));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "--add-exports", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RekeyChild.class.getName(), store.toString(), a, b);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(SoftHsm.PIN_ENV, SoftHsm.PIN);
        pb.environment().put("SOFTHSM2_CONF", conf.toString());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(store.resolveSibling("child-stderr.txt").toFile()));
        return pb.start();
    }
}
