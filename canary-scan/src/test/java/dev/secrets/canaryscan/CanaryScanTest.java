package dev.secrets.canaryscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.testing.Canary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After every other module of the reactor has run its tests: the build's canary ({@link Canary#VALUE})
 * is in none of the surefire and failsafe reports, captured test output, logs, or files the tests left
 * in their temporary stores and audit logs (all under the modules' {@code target/} folders, where the
 * build puts {@code java.io.tmpdir} and keeps {@code @TempDir} folders) — in plain text, base64 or
 * base64url at any of the three alignments, or hex. Compiled classes and jars, which hold the
 * constant itself, are not scanned. Failures name the file and the form found, never the canary.
 */
class CanaryScanTest {
    /** Folders of a module's target/ that hold the build's own output (the constant itself), not what tests left. */
    private static final Set<String> BUILD_OUTPUT = Set.of("classes", "test-classes", "generated-sources",
            "generated-test-sources", "maven-status", "maven-archiver", "jmh-classes");
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyModuleOfTheReactor_isBuiltBeforeThisScan() throws IOException {
        List<String> modules = all(Files.readString(ROOT.resolve("pom.xml")), "<module>([^<]+)</module>");
        String mine = Files.readString(Path.of("pom.xml"));
        for (String module : modules) {
            if (module.equals("canary-scan")) {
                continue;
            }
            String artifactId = artifactIdOf(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
            assertThat(mine).as("canary-scan/pom.xml must depend on module %s (type pom) so that it runs after it", module)
                    .contains("<artifactId>" + artifactId + "</artifactId>");
        }
        assertThat(modules.get(modules.size() - 1)).isEqualTo("canary-scan");
    }

    @Test
    void theScanFinds_theCanaryInEveryForm_atEveryAlignment() {
        List<Needle> needles = needles(Canary.VALUE);
        for (int shift = 0; shift < 3; shift++) {
            byte[] plain = concat(new byte[shift], Canary.VALUE.getBytes(StandardCharsets.UTF_8), new byte[2 - shift]);
            for (String encoded : List.of(java.util.Base64.getEncoder().encodeToString(plain),
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(plain), hex(plain), hex(plain).toUpperCase())) {
                byte[] file = ("{\"x\":\"" + encoded + "\"}\n").getBytes(StandardCharsets.US_ASCII);
                assertThat(found(file, needles)).as("shift %d: %s", shift, encoded.substring(0, 8)).isNotEmpty();
            }
            assertThat(found(plain, needles)).contains("plain");
        }
        assertThat(found("nothing to see".getBytes(StandardCharsets.US_ASCII), needles)).isEmpty();
    }

    @Test
    void theCanary_isInNoReportLogOrFileTheTestsLeft() throws IOException {
        List<Needle> needles = needles(Canary.VALUE);
        List<Path> targets = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(ROOT, 3)) {
            dirs.filter(p -> p.getFileName().toString().equals("target") && Files.isDirectory(p))
                    .filter(p -> !p.startsWith(ROOT.resolve("canary-scan")) && !p.toString().contains("/.git/")
                            && !p.toString().contains("/node_modules/"))
                    .forEach(targets::add);
        }
        List<String> leaks = new ArrayList<>();
        int[] scanned = new int[2];
        for (Path target : targets) {
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getParent().equals(target) && BUILD_OUTPUT.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = file.getFileName().toString();
                    if (!attrs.isRegularFile() || name.endsWith(".jar") || name.endsWith(".class")) {
                        return FileVisitResult.CONTINUE;
                    }
                    scanned[0]++;
                    if (file.toString().contains("-reports/")) {
                        scanned[1]++;
                    }
                    for (String form : found(Files.readAllBytes(file), needles)) {
                        leaks.add(ROOT.relativize(file) + " (" + form + ")");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    leaks.add(ROOT.relativize(file) + " could not be read: " + e.getClass().getSimpleName());
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        System.out.printf("canary scan: %d files under %d target folders, %d of them test reports and output%n", scanned[0],
                targets.size(), scanned[1]);
        assertThat(scanned[1]).as("test reports scanned (was the scan run without the other modules' tests?)").isPositive();
        assertThat(leaks).as("files holding the build's canary").isEmpty();
    }

    /** A byte pattern and the name of its form. */
    record Needle(String form, byte[] bytes) {
    }

    /**
     * The canary as bytes, and every encoding of it at every alignment: base64 of the canary preceded
     * by 0, 1 or 2 bytes has a middle part that does not depend on the bytes around it.
     */
    static List<Needle> needles(String canary) {
        byte[] plain = canary.getBytes(StandardCharsets.UTF_8);
        List<Needle> out = new ArrayList<>();
        out.add(new Needle("plain", plain));
        out.add(new Needle("hex", hex(plain).getBytes(StandardCharsets.US_ASCII)));
        out.add(new Needle("HEX", hex(plain).toUpperCase().getBytes(StandardCharsets.US_ASCII)));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = concat(new byte[shift], plain, new byte[0]);
            String b64 = java.util.Base64.getEncoder().encodeToString(shifted);
            int from = (shift * 8 + 5) / 6; // the first character free of the preceding bytes
            int to = shifted.length / 3 * 4; // characters after this depend on the bytes that follow
            String stable = b64.substring(from, to);
            out.add(new Needle("base64+" + shift, stable.getBytes(StandardCharsets.US_ASCII)));
            out.add(new Needle("base64url+" + shift,
                    stable.replace('+', '-').replace('/', '_').getBytes(StandardCharsets.US_ASCII)));
        }
        return out;
    }

    static List<String> found(byte[] content, List<Needle> needles) {
        List<String> forms = new ArrayList<>();
        for (Needle n : needles) {
            if (indexOf(content, n.bytes()) >= 0) {
                forms.add(n.form());
            }
        }
        return forms;
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

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    private static List<String> all(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }

    private static String artifactIdOf(String pom) {
        // The module's own artifactId: the first one after the parent block.
        String afterParent = pom.substring(pom.indexOf("</parent>"));
        return all(afterParent, "<artifactId>([^<]+)</artifactId>").get(0);
    }
}
