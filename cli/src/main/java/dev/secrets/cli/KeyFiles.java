package dev.secrets.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** New master key roots: 32 bytes from a {@link SecureRandom}, base64, in a file only its owner can read. */
final class KeyFiles {
    private KeyFiles() {
    }

    /** Base64 of 32 new random bytes. */
    static String newKey(SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        String b64 = Base64.getEncoder().encodeToString(k);
        Arrays.fill(k, (byte) 0);
        return b64;
    }

    /**
     * Writes a new key to {@code path}, created with mode 0600 (never readable by others, not even
     * for a moment); refuses to overwrite an existing file. Returns its key URI {@code file:PATH}.
     */
    static String write(Path path, SecureRandom random) {
        Path abs = path.toAbsolutePath().normalize();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            FileAttribute<?> owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            Files.createFile(abs, owner);
            try (OutputStream o = Files.newOutputStream(abs, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                o.write((newKey(random) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliException("key file " + abs + " already exists; keys are never overwritten (choose another path)");
        } catch (UnsupportedOperationException e) {
            throw new CliException("cannot create " + abs + " readable by its owner only on this file system");
        } catch (IOException e) {
            throw new CliException("cannot write key file " + abs + ": " + e.getClass().getSimpleName(), e);
        }
        return "file:" + abs;
    }
}
