package dev.secrets.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * The byte layout of one generation of a {@link RecordLog}: one ASCII JSON line
 * {@code {"g":N,"l":"<base64 lineage>","c":"<CRC-32C of the lineage, hex>"}}, then the payload bytes.
 * The generation in the line must match the key's; the lineage (write IDs of {@value RecordLog#ID_BYTES}
 * bytes each, at most {@value RecordLog#LINEAGE}) is checked against its checksum. Stateless.
 */
final class RecordFrame {
    private RecordFrame() {
    }

    /** The lineage of the next generation: the newest {@code LINEAGE - 1} write IDs of {@code lineage}, then {@code writeId}. */
    static byte[] extend(byte[] lineage, byte[] writeId) {
        int keep = Math.min(lineage.length, (RecordLog.LINEAGE - 1) * RecordLog.ID_BYTES);
        byte[] out = new byte[keep + RecordLog.ID_BYTES];
        System.arraycopy(lineage, lineage.length - keep, out, 0, keep);
        System.arraycopy(writeId, 0, out, keep, RecordLog.ID_BYTES);
        return out;
    }

    /** The object of generation {@code generation}: its frame line, then {@code payload}. */
    static byte[] encode(long generation, byte[] lineage, byte[] payload) {
        byte[] head = ("{\"g\":" + generation + ",\"l\":\"" + Base64.getEncoder().encodeToString(lineage) + "\",\"c\":\""
                + checksum(lineage) + "\"}\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    /** The payload is authenticated by its owner (MAC, AEAD); the lineage is checked here so damage to it is noticed too. */
    private static String checksum(byte[] lineage) {
        CRC32C crc = new CRC32C();
        crc.update(lineage);
        return String.format("%08x", crc.getValue());
    }

    /**
     * Parses an object of log {@code name} read at {@code key}.
     *
     * @throws RecordLog.CorruptRecordException when its frame is damaged or does not match its key
     */
    static RecordLog.Entry decode(String name, String key, byte[] bytes) {
        int nl = -1;
        for (int i = 0; i < bytes.length && i < 4096; i++) {
            if (bytes[i] == '\n') {
                nl = i;
                break;
            }
        }
        long generation = RecordLog.generationOf(key);
        try {
            if (nl < 0) {
                throw new IllegalArgumentException("no frame line");
            }
            String head = new String(bytes, 0, nl, StandardCharsets.US_ASCII);
            String prefix = "{\"g\":" + generation + ",\"l\":\"";
            int check = head.lastIndexOf("\",\"c\":\"");
            if (!head.startsWith(prefix) || !head.endsWith("\"}") || check < prefix.length()) {
                throw new IllegalArgumentException("frame does not match its key");
            }
            byte[] lineage = Base64.getDecoder().decode(head.substring(prefix.length(), check));
            if (lineage.length == 0 || lineage.length % RecordLog.ID_BYTES != 0 || lineage.length > RecordLog.LINEAGE * RecordLog.ID_BYTES
                    || !head.substring(check + 7, head.length() - 2).equals(checksum(lineage))) {
                throw new IllegalArgumentException("bad lineage");
            }
            return new RecordLog.Entry(generation, lineage, Arrays.copyOfRange(bytes, nl + 1, bytes.length));
        } catch (IllegalArgumentException e) {
            throw new RecordLog.CorruptRecordException(name, key, e);
        }
    }
}
