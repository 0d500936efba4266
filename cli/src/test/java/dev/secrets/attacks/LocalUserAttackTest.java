package dev.secrets.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.secrets.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacker: another local user of the machine (docs/security.md, attacker 5), against the real
 * file store through the {@code secrets} command run in this JVM. They must not get a key from a
 * file they can read, control the store directory, read a value off a command line unwarned, or
 * exhaust the command with an endless input.
 */
class LocalUserAttackTest {
    private static final String CANARY = "local-user-canary-Hq7";

    @TempDir
    Path dir;

    private Path store;
    private Path key;

    private record Run(int status, String out, String err) {
    }

    private Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run cli(String... args) {
        return run("", prepend("--store", "file:" + store, "--key", "file:" + key, args));
    }

    private static String[] prepend(String a, String b, String c, String d, String... rest) {
        String[] out = new String[rest.length + 4];
        out[0] = a;
        out[1] = b;
        out[2] = c;
        out[3] = d;
        System.arraycopy(rest, 0, out, 4, rest.length);
        return out;
    }

    @BeforeEach
    void storeWithOneSecret() throws Exception {
        store = dir.resolve("store");
        key = dir.resolve("master.key");
        Run init = run("", "--store", "file:" + store, "init", "--generate-key", key.toString());
        assertThat(init.status()).as(init.err()).isZero();
        assertThat(run(CANARY + "\n", "--store", "file:" + store, "--key", "file:" + key, "create", "app/token").status()).isZero();
    }

    @Test
    void keyFileBehindAKubernetesStyleSymlink_isCheckedOnItsTarget() throws Exception {
        // Kubernetes mounts a Secret as key -> ..data/key -> ..2026_12_02/key; the links are 0777, the file 0400.
        Path versioned = Files.createDirectories(dir.resolve("mount/..2026_12_02"));
        Path target = Files.copy(key, versioned.resolve("key"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
        Files.createSymbolicLink(dir.resolve("mount/..data"), Path.of("..2026_12_02"));
        Path link = Files.createSymbolicLink(dir.resolve("mount/key"), Path.of("..data/key"));
        key = link;
        Run ok = cli("get", "app/token");
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo(CANARY + "\n");

        // A target that other users can read is refused, whatever the link's own mode; so is one of another user.
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Run readable = cli("get", "app/token");
        assertThat(readable.status()).isEqualTo(1);
        assertThat(readable.err()).contains("group or others").contains(target.toRealPath().toString()).doesNotContain(CANARY);

        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
        UserPrincipal nobody = target.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(target, nobody);
        Run foreign = cli("get", "app/token");
        assertThat(foreign.status()).isEqualTo(1);
        assertThat(foreign.err()).contains("belongs to user nobody").doesNotContain(CANARY);
    }

    @Test
    void storeDirectoryWritableByEveryone_isRefusedOnOpen_andNothingIsWritten() throws Exception {
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<Path> before = files(store);
        Run r = cli("put", "app/token", "--value", "new");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("can be written by every user").contains("chmod o-w");
        assertThat(files(store)).isEqualTo(before);
    }

    @Test
    void storeDirectoryOfAnotherUser_isRefusedOnOpen() throws Exception {
        Files.setOwner(store, store.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Run r = cli("get", "app/token");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("belongs to user nobody").doesNotContain(CANARY);
    }

    @Test
    void valueGivenWithJsonOnTheCommandLine_warnsLikeValueDoes() {
        Run json = cli("create", "app/db", "--kind", "database", "--json", "{\"username\":\"u\",\"password\":\"" + CANARY + "\"}");
        assertThat(json.status()).as(json.err()).isZero();
        assertThat(json.err()).contains("warning: --json puts the value on the command line").doesNotContain(CANARY);
        Run value = cli("put", "app/token", "--value", CANARY + "-2");
        assertThat(value.err()).contains("warning: --value puts the value on the command line").doesNotContain(CANARY);
    }

    @Test
    void endlessFile_isRefusedAfterTheSizeLimit_andNothingIsWritten() throws Exception {
        List<Path> before = files(store);
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cli("put", "app/token", "--file", "/dev/zero"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("larger than 65536 bytes");
        assertThat(files(store)).isEqualTo(before);
        assertThat(cli("get", "app/token").out()).isEqualTo(CANARY + "\n");
    }

    private static List<Path> files(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
