package dev.secrets.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Real SoftHSM2 tokens for the {@code pkcs11:} tests, in a fresh token directory under
 * {@code target/softhsm}. SoftHSM2 reads its configuration from {@code SOFTHSM2_CONF}, which the
 * build sets for the test JVMs (root {@code pom.xml}) to {@code target/softhsm/softhsm2.conf}; this
 * class writes that file and initialises the tokens with {@code softhsm2-util} once per JVM,
 * before the module is first loaded (SoftHSM2 reads its tokens when it is initialised). Tokens:
 * {@link #TOKEN} and {@link #OTHER_TOKEN} (PIN {@link #PIN}) and {@link #PIN_TEST_TOKEN} (never
 * logged in with its right PIN in a test JVM, for the wrong-PIN test: PKCS#11 logins are
 * process-wide). Without SoftHSM2 the tests are skipped, or fail when {@code CI=true}.
 */
public final class SoftHsm {
    public static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
    public static final String TOKEN = "secrets";
    public static final String OTHER_TOKEN = "other";
    public static final String PIN_TEST_TOKEN = "pin-test";
    public static final String PIN = "246810";
    /** Environment variable the tests give the PIN in. */
    public static final String PIN_ENV = "SECRETS_TEST_HSM_PIN";

    private static Path dir;

    private SoftHsm() {
    }

    /** Prepares the tokens (once per JVM) and returns the token directory's parent. */
    public static synchronized Path start() {
        if (dir != null) {
            return dir;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (!Files.isRegularFile(Path.of(MODULE)) || !Files.isExecutable(Path.of("/usr/bin/softhsm2-util"))) {
            throw unavailable("SoftHSM2 is not installed (" + MODULE + ", softhsm2-util; Debian package softhsm2)");
        }
        if (conf == null) {
            throw unavailable("SOFTHSM2_CONF is not set for this JVM (the build sets it; run the test through Maven)");
        }
        try {
            Path confFile = Path.of(conf);
            Path base = confFile.getParent();
            Path tokens = base.resolve("tokens");
            deleteTree(base);
            Files.createDirectories(tokens);
            writeConfiguration(confFile, tokens);
            for (String label : List.of(TOKEN, OTHER_TOKEN, PIN_TEST_TOKEN)) {
                run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "13579246", "--pin", PIN);
            }
            dir = base;
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare SoftHSM2 tokens", e);
        }
    }

    /** The token directory (for softhsm2-dump-file). */
    public static Path tokenDirectory() {
        return start().resolve("tokens");
    }

    /**
     * A copy of every token, with its keys, in {@code dir}; returns the configuration file to give
     * a child process as {@code SOFTHSM2_CONF}. For a process that may be killed: SoftHSM2's file
     * backend rewrites a token's {@code token.object} in place at every login, and a process killed
     * during that write leaves it empty, the token unusable ({@code CKR_GENERAL_ERROR}) for every
     * later process — only the copy is damaged then. Take it while no process logs in.
     */
    public static Path privateCopy(Path dir) throws IOException {
        Path from = tokenDirectory();
        Path tokens = dir.resolve("tokens");
        try (var s = Files.walk(from)) {
            for (Path x : s.toList()) {
                Path target = tokens.resolve(from.relativize(x).toString());
                if (Files.isDirectory(x)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(x, target);
                }
            }
        }
        return writeConfiguration(dir.resolve("softhsm2.conf"), tokens);
    }

    private static Path writeConfiguration(Path confFile, Path tokens) throws IOException {
        Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        return confFile;
    }

    /** A key URI for object {@code object} in {@code token}, PIN from {@link #PIN_ENV}. */
    public static String uri(String token, String object) {
        return "pkcs11:token=" + token + ";object=" + object + "?module-path=" + MODULE + "&pin-source=env:" + PIN_ENV;
    }

    /** The environment with the PIN. */
    public static Map<String, String> environment() {
        return Map.of(PIN_ENV, PIN);
    }

    /** Writes {@link #PIN} to a 0600 file. */
    public static Path pinFile(Path file) throws IOException {
        Files.writeString(file, PIN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Runs a command with SOFTHSM2_CONF set, returning its output; fails on a non-zero exit. */
    public static String run(String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", System.getenv("SOFTHSM2_CONF"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    /**
     * The attributes SoftHSM2 stored for a token object, as its own {@code softhsm2-dump-file}
     * prints them (that tool exits with 1 even when it dumped the file, so its output is checked instead).
     */
    public static String dump(Path objectFile) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("softhsm2-dump-file", objectFile.toString()).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!out.startsWith("Dump of object file")) {
            throw new IOException("softhsm2-dump-file failed: " + out);
        }
        return out;
    }

    /** The object files of every token, for softhsm2-dump-file. */
    public static List<Path> objectFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.walk(tokenDirectory())) {
            s.filter(p -> p.toString().endsWith(".object") && !p.getFileName().toString().equals("token.object")).forEach(out::add);
        }
        return out;
    }

    private static RuntimeException unavailable(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return new IllegalStateException(reason + " (CI=true, so this is an error, not a skipped test)");
        }
        return new TestAbortedException(reason + " (with CI=true this would be an error)");
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
