package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.VersionDescription;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.IsolatedConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four writers — two clients in this JVM, two in child JVMs, each with its own S3 client — write
 * new versions of one secret and move labels on it at the same time, through a real s3proxy.
 * A step may fail only with a declared, retryable conflict, which the writer counts and retries (a
 * put with its idempotency token). Afterwards every write attempted was acknowledged, each is there
 * exactly once with its value, and the labels are where the last move of each put them: no lost update.
 */
class S3ConcurrentWritersTest {
    static final String ROOT_KEY_BASE64;
    private static final int ITERATIONS = 4;

    static {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 42);
        ROOT_KEY_BASE64 = Base64.getEncoder().encodeToString(k);
    }

    @TempDir
    Path tmp;

    @Test
    void fourWritersInTwoJvms_neverLoseAnAcknowledgedVersionOrLabelMove() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.shared();
        String uri = s3.newStoreUri();
        SecretsConfig config = IsolatedConfig.get();
        try (SecretsClient admin = SecretsClient.builder().config(config).store(uri).masterKey("default", Base64.getDecoder().decode(ROOT_KEY_BASE64))
                .cacheTtl(java.time.Duration.ZERO).build()) {
            admin.createSecret(CreateSecretRequest.of(ConcurrentWriter.SECRET, SecretKind.GENERIC, SecretValue.ofText("initial")));

            List<Process> children = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (String name : List.of("child1", "child2")) {
                Path out = tmp.resolve(name + ".out");
                Path err = tmp.resolve(name + ".err");
                ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                        ConcurrentWriter.class.getName(), uri, name, String.valueOf(ITERATIONS))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(S3ProxyServer.credentialsEnvironment());
                pb.environment().put("S3IT_KEY", ROOT_KEY_BASE64);
                children.add(pb.start());
                outputs.add(out);
            }
            Map<String, List<String>> acks = new LinkedHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> local = new ArrayList<>();
                for (String name : List.of("local1", "local2")) {
                    List<String> lines = Collections.synchronizedList(new ArrayList<>());
                    acks.put(name, lines);
                    local.add(pool.submit(() -> ConcurrentWriter.run(uri, name, ITERATIONS, lines::add)));
                }
                for (Future<?> f : local) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < children.size(); i++) {
                Process p = children.get(i);
                assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child writer finished").isTrue();
                assertThat(p.exitValue()).as("child exit; stderr: %s", Files.readString(tmp.resolve("child" + (i + 1) + ".err"))).isZero();
                acks.put("child" + (i + 1), Files.readAllLines(outputs.get(i), StandardCharsets.UTF_8));
            }

            SecretDescription d = admin.describeSecret(ConcurrentWriter.SECRET);
            Map<String, VersionDescription> byId = new HashMap<>();
            for (VersionDescription v : d.versions()) {
                assertThat(byId.put(v.versionId(), v)).as("version listed once: %s", v.versionId()).isNull();
            }
            int puts = 0;
            int conflicts = 0;
            Map<String, String> lastOwnMove = new HashMap<>();
            for (Map.Entry<String, List<String>> w : acks.entrySet()) {
                for (String line : w.getValue()) {
                    String[] f = line.split(" ", 3);
                    if (f[0].equals("PUT")) {
                        puts++;
                        assertThat(byId).as("acknowledged version of %s", w.getKey()).containsKey(f[1]);
                        assertThat(admin.getSecretValue(GetSecretValueRequest.of(ConcurrentWriter.SECRET).withVersionId(f[1])).text()).isEqualTo(f[2]);
                    } else if (f[0].equals("MOVE") && f[1].startsWith("W-")) {
                        lastOwnMove.put(f[1], f[2]);
                    } else if (f[0].equals("CONFLICT")) {
                        conflicts++;
                    } else {
                        assertThat(f[0]).as("line of %s: %s", w.getKey(), line).isEqualTo("MOVE");
                    }
                }
            }
            assertThat(puts).as("acknowledged puts: every one attempted").isEqualTo(4 * ITERATIONS);
            assertThat(d.versions()).hasSize(puts + 1);
            // Only writer NAME moves W-NAME: its last acknowledged move must have survived everyone else's writes.
            assertThat(lastOwnMove).hasSize(4);
            lastOwnMove.forEach((label, version) ->
                    assertThat(byId.get(version).labels()).as("%s on its last acknowledged version", label).contains(Label.of(label)));
            for (Label l : List.of(Label.CURRENT, Label.PREVIOUS, Label.of("SHARED"))) {
                assertThat(d.versions().stream().filter(v -> v.labels().contains(l)).count()).as("versions labelled %s", l).isEqualTo(1);
            }
            System.out.println("acknowledged puts: " + puts + ", conflicts retried: " + conflicts + ", versions: " + d.versions().size()
                    + ", writer lines: " + acks);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : "");
    }
}
