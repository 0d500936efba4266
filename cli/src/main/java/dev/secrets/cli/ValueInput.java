package dev.secrets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.secrets.InvalidSecretException;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import picocli.CommandLine.Option;

/**
 * Where a value comes from: {@code --value}, {@code --json}, {@code --file}, or standard input
 * (read without echo at a terminal). Values never have to be on the command line.
 *
 * <p>From a file or standard input, one trailing newline is dropped from a text or JSON value
 * (what {@code get} adds back), and the type is chosen by {@code --type}: {@code auto} reads a
 * one-level JSON object as key/value, other UTF-8 as text, anything else as binary; a database
 * secret is always key/value.
 */
final class ValueInput {
    enum Type { AUTO, KEY_VALUE, TEXT, BINARY }

    @Option(names = "--value", paramLabel = "TEXT",
            description = "the value as text (visible in shell history and the process list: prefer --file or standard input)")
    String text;

    @Option(names = "--json", paramLabel = "JSON", description = "key/value fields as a one-level JSON object")
    String json;

    @Option(names = "--file", paramLabel = "PATH", description = "read the value from PATH ('-' for standard input)")
    String file;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "how to read --file or standard input: ${COMPLETION-CANDIDATES} (default: auto)")
    Type type = Type.AUTO;

    boolean given() {
        return text != null || json != null || file != null;
    }

    /**
     * After a successful write: warns when the value came from the command line ({@code --value},
     * {@code --json}), where shell history and the process list show it. Printed only on success, so
     * that an error stays one line.
     */
    void warnIfOnCommandLine(Io io) {
        if (text != null || json != null) {
            io.err().println("secrets: warning: " + (text != null ? "--value" : "--json") + " puts the value on the command line,"
                    + " where shell history and the process list show it; prefer --file or standard input");
        }
    }

    /** Checks the options before anything is read or written. */
    void check() {
        int n = (text != null ? 1 : 0) + (json != null ? 1 : 0) + (file != null ? 1 : 0);
        if (n > 1) {
            throw new UsageException("give the value with one of --value, --json or --file");
        }
    }

    /** The value, for a secret of {@code kind}, reading standard input when no option gives one. */
    SecretValue read(SecretKind kind, Io io, String secretId) {
        check();
        if (text != null) {
            return kind.isDatabase() ? SecretValue.ofJson(text) : SecretValue.ofText(text);
        }
        if (json != null) {
            return SecretValue.ofJson(json);
        }
        byte[] bytes;
        if (file != null && !file.equals("-")) {
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                bytes = readLimited(in, file);
            } catch (NoSuchFileException e) {
                throw new CliException("no such file: " + file);
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
            }
        } else if (io.terminal() && file == null) {
            Console c = System.console();
            char[] typed = c.readPassword("value of %s (not shown): ", secretId);
            if (typed == null) {
                throw new CliException("no value given");
            }
            return decode(kind, new String(typed).getBytes(StandardCharsets.UTF_8));
        } else {
            try {
                bytes = readLimited(io.in(), "standard input");
            } catch (IOException e) {
                throw new CliException("cannot read standard input: " + e.getClass().getSimpleName(), e);
            }
        }
        return decode(kind, bytes);
    }

    /**
     * Reads at most a value's limit (plus the newline that may end it) and stops there: a value
     * piped from an endless or huge source is refused without reading it all.
     */
    private static byte[] readLimited(InputStream in, String what) throws IOException {
        byte[] bytes = in.readNBytes(SecretValue.MAX_BYTES + 3);
        if (bytes.length > SecretValue.MAX_BYTES + 2) {
            throw new InvalidSecretException("the value in " + what + " is larger than " + SecretValue.MAX_BYTES
                    + " bytes, the most a value may have; nothing was read past that and nothing was written");
        }
        return bytes;
    }

    private SecretValue decode(SecretKind kind, byte[] bytes) {
        Type t = type;
        if (kind.isDatabase()) {
            if (t == Type.TEXT || t == Type.BINARY) {
                throw new UsageException("a " + kind.id() + " secret holds key/value fields; --type " + t.name().toLowerCase(java.util.Locale.ROOT)
                        + " does not fit it");
            }
            t = Type.KEY_VALUE;
        }
        if (t == Type.BINARY) {
            return SecretValue.ofBytes(bytes);
        }
        String s = utf8(bytes);
        if (s == null) {
            if (t == Type.AUTO) {
                return SecretValue.ofBytes(bytes);
            }
            throw new InvalidSecretException("the value is not UTF-8 text; use --type binary");
        }
        s = dropOneNewline(s);
        if (t == Type.TEXT) {
            return SecretValue.ofText(s);
        }
        if (t == Type.KEY_VALUE) {
            return SecretValue.ofJson(s);
        }
        return flatJsonObject(s) ? SecretValue.ofJson(s) : SecretValue.ofText(s);
    }

    private static String dropOneNewline(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean flatJsonObject(String s) {
        String t = s.trim();
        if (!t.startsWith("{")) {
            return false;
        }
        try {
            JsonNode node = CliJson.JSON.readTree(t);
            if (node == null || !node.isObject()) {
                return false;
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                if (it.next().isContainerNode()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
