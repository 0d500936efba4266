package dev.secrets.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the CLI's application class-data-sharing archive: runs the everyday commands
 * ({@code init}, {@code create}, {@code put}, {@code get}, {@code describe}, {@code list},
 * {@code versions}) in this JVM on a file store in a fresh temporary folder, with a random key, then
 * deletes the folder. Run under {@code -XX:ArchiveClassesAtExit=FILE} it leaves in FILE every class
 * those commands load, parsed and verified, which later runs map instead of loading from the jar
 * ({@code -XX:SharedArchiveFile=FILE}). The {@code ./secrets} launcher does this once per jar and JVM:
 * <pre>java -XX:ArchiveClassesAtExit=secrets.jsa -cp secrets-cli-all.jar dev.secrets.cli.CdsTraining</pre>
 * Exits non-zero when a command failed. Reads no configuration: nothing of the caller's stores is touched.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("secrets-cds-training-");
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path keyFile = dir.resolve("master.key");
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n");
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            String[] global = {"--store", "file:" + dir.resolve("store"), "--key", "file:" + keyFile};
            String[][] commands = {
                {"init"},
                {"create", "training/app-db", "--kind", "database", "--json", "{\"username\":\"app\",\"password\":\"training-only\"}"},
                {"put", "training/app-db", "--json", "{\"username\":\"app\",\"password\":\"training-only-2\"}"},
                {"create", "training/token", "--value", "training-only"},
                {"get", "training/app-db", "--field", "password"},
                {"get", "training/token"},
                {"get", "training/app-db", "--json"},
                {"describe", "training/app-db"},
                {"list"},
                {"versions", "training/app-db"},
            };
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true);
            for (String[] c : commands) {
                String[] all = Stream.concat(Stream.of(global), Stream.of(c)).toArray(String[]::new);
                int status = Main.run(all, new ByteArrayInputStream(new byte[0]), nowhere, System.err, Map.of());
                if (status != Main.OK) {
                    System.err.println("secrets CDS training: '" + String.join(" ", c) + "' exited with " + status);
                    System.exit(status);
                }
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
