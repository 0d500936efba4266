package dev.secrets.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Master-key files for tests: a fresh random 256-bit root, base64, in a file only its owner can read. */
public final class KeyFiles {
    private KeyFiles() {
    }

    /** Writes a fresh random 32-byte key to {@code file} (mode {@code 0600}); returns its {@code file:} URI. */
    public static String newRandom(Path file) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "file:" + file;
    }
}
