package dev.secrets.audit;

import dev.secrets.spi.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The line format of the JSON-lines audit log, shared by the writer and the verifier.
 *
 * <p>A line is {@code {"seq":N,…event fields…,"prev":"<64 hex>","hash":"<64 hex>"}} followed by
 * {@code \n}. Everything is ASCII (other characters are written as {@code \}{@code uXXXX}), so the
 * bytes on disk are exactly the characters written. The <em>body</em> is the line up to, not
 * including, {@code ,"hash":"}; {@code hash} is the SHA-256 of the body, and the body ends with
 * {@code prev}, the hash of the line before (64 zeros for the first line). So each line's hash
 * covers its whole content and, through {@code prev}, every line before it; {@code seq} numbers
 * the entries from 1 so that a verifier can say which entry is missing.
 */
final class AuditLine {
    static final String GENESIS = "0".repeat(64);
    static final String HASH_INFIX = ",\"hash\":\"";
    static final String PREV_INFIX = ",\"prev\":\"";
    static final String SEQ_PREFIX = "{\"seq\":";
    /** {@code ,"hash":"} + 64 hex + {@code "}} */
    static final int HASH_SUFFIX_LENGTH = HASH_INFIX.length() + 64 + 2;
    /** {@code ,"prev":"} + 64 hex + {@code "} */
    static final int PREV_SUFFIX_LENGTH = PREV_INFIX.length() + 64 + 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AuditLine() {
    }

    /** The complete line for {@code event}, without the trailing newline. */
    static String format(AuditEvent event, long seq, String prev) {
        StringBuilder b = new StringBuilder(256);
        b.append(SEQ_PREFIX).append(seq);
        field(b, "time", event.time() == null ? null : event.time().toString());
        field(b, "action", event.action());
        field(b, "secretId", event.secretId());
        field(b, "versionId", event.versionId());
        field(b, "keyName", event.keyName());
        field(b, "outcome", event.outcome());
        field(b, "errorClass", event.errorClass());
        field(b, "principal", event.principal());
        counted(b, event);
        b.append(PREV_INFIX).append(prev).append('"');
        String hash = sha256(b);
        return b.append(HASH_INFIX).append(hash).append("\"}").toString();
    }

    /** The event alone as one JSON object (no chain fields), for sinks without a chain. */
    static String json(AuditEvent event) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        field(b, "time", event.time() == null ? null : event.time().toString());
        field(b, "action", event.action());
        field(b, "secretId", event.secretId());
        field(b, "versionId", event.versionId());
        field(b, "keyName", event.keyName());
        field(b, "outcome", event.outcome());
        field(b, "errorClass", event.errorClass());
        field(b, "principal", event.principal());
        counted(b, event);
        if (b.length() > 1) {
            b.deleteCharAt(1); // the comma before the first field
        }
        return b.append('}').toString();
    }

    /** The hash of a line made by {@link #format}. */
    static String hashOf(String line) {
        return line.substring(line.length() - 66, line.length() - 2);
    }

    /** {@code first} and {@code count} of an event standing for several operations; nothing for the others, whose lines stay as they were. */
    private static void counted(StringBuilder b, AuditEvent event) {
        if (event.first() != null) {
            field(b, "first", event.first().toString());
        }
        if (event.first() != null || event.count() != 1) {
            b.append(",\"count\":").append(event.count());
        }
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        b.append(",\"").append(name).append("\":");
        quote(b, value);
    }

    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    static String sha256(CharSequence ascii) {
        MessageDigest md = digest();
        byte[] bytes = new byte[ascii.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ascii.charAt(i);
        }
        return hex(md.digest(bytes));
    }

    static String sha256(byte[] buf, int off, int len) {
        MessageDigest md = digest();
        md.update(buf, off, len);
        return hex(md.digest());
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private static MessageDigest digest() {
        MessageDigest md = SHA256.get();
        md.reset();
        return md;
    }

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 15];
            out[2 * i + 1] = HEX[b[i] & 15];
        }
        return new String(out);
    }

    static boolean isHex64(String s, int from) {
        if (s.length() < from + 64) {
            return false;
        }
        for (int i = from; i < from + 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** A line split into its parts, or null when it does not have the shape of an entry. */
    static Parsed parse(String line) {
        int n = line.length();
        if (!line.startsWith(SEQ_PREFIX) || n < SEQ_PREFIX.length() + 1 + PREV_SUFFIX_LENGTH + HASH_SUFFIX_LENGTH
                || !line.endsWith("\"}")) {
            return null;
        }
        int hashAt = n - HASH_SUFFIX_LENGTH;
        if (!line.startsWith(HASH_INFIX, hashAt) || !isHex64(line, hashAt + HASH_INFIX.length())) {
            return null;
        }
        int prevAt = hashAt - PREV_SUFFIX_LENGTH;
        if (!line.startsWith(PREV_INFIX, prevAt) || !isHex64(line, prevAt + PREV_INFIX.length()) || line.charAt(hashAt - 1) != '"') {
            return null;
        }
        int i = SEQ_PREFIX.length();
        long seq = 0;
        int digits = 0;
        while (i < n && Character.isDigit(line.charAt(i)) && digits < 18) {
            seq = seq * 10 + (line.charAt(i) - '0');
            i++;
            digits++;
        }
        if (digits == 0 || (line.charAt(i) != ',' && i != prevAt)) {
            return null;
        }
        return new Parsed(seq, line.substring(prevAt + PREV_INFIX.length(), prevAt + PREV_INFIX.length() + 64),
                line.substring(hashAt + HASH_INFIX.length(), hashAt + HASH_INFIX.length() + 64), hashAt);
    }

    /** The parts of a line: its sequence number, the previous hash it names, its own hash, and where its body ends. */
    record Parsed(long seq, String prev, String hash, int bodyLength) {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
