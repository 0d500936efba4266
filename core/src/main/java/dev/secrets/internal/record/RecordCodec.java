package dev.secrets.internal.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretsException;
import dev.secrets.internal.crypto.Hmac;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.json.Json;
import dev.secrets.internal.json.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Stored form of a {@link SecretRecord}: a header line {@code {"mac":…,"key":NAME,"keyVersion":N}}
 * and the record's JSON. The MAC is HMAC-SHA256 under the master key version's MAC key over the
 * store ID and the exact JSON bytes, so no canonical form is needed and any change to metadata,
 * labels or ciphertexts is detected.
 */
public final class RecordCodec {
    private RecordCodec() {
    }

    /** Header of a stored record: which master key version authenticates it. */
    public record Header(String keyName, int keyVersion) {
    }

    public static byte[] encode(SecretRecord record, String storeId, Keyring.Version macKey) {
        try {
            byte[] body = Json.MAPPER.writeValueAsBytes(record);
            byte[] mac = mac(macKey, storeId, body);
            ObjectNode header = Json.MAPPER.createObjectNode();
            header.put("mac", mac);
            header.put("key", record.keyName);
            header.put("keyVersion", macKey.number());
            byte[] h = Json.MAPPER.writeValueAsBytes(header);
            byte[] out = Arrays.copyOf(h, h.length + 1 + body.length);
            out[h.length] = '\n';
            System.arraycopy(body, 0, out, h.length + 1, body.length);
            return out;
        } catch (IOException e) {
            throw new SecretsException("could not encode the record of secret '" + record.id + "'", e);
        }
    }

    /** Reads the header; a damaged header is tampering. */
    public static Header header(String secretId, byte[] payload) {
        int nl = newline(payload);
        try {
            if (nl < 0) {
                throw new IOException("no header line");
            }
            JsonNode h = JsonTree.read(Arrays.copyOf(payload, nl));
            String key = h.path("key").asText(null);
            int version = h.path("keyVersion").asInt(-1);
            if (key == null || version < 1 || !h.path("mac").isTextual()) {
                throw new IOException("incomplete header");
            }
            return new Header(key, version);
        } catch (IOException e) {
            throw tampered(secretId, e);
        }
    }

    /**
     * Verifies and parses a record.
     *
     * @param keys resolves (key name, version) to the key version; throws when the client lacks it
     * @throws SecretTamperedException when the MAC fails, the record names another secret or generation, or it does not parse
     */
    public static SecretRecord decode(String secretId, long generation, byte[] payload, String storeId,
                                      BiFunction<String, Integer, Keyring.Version> keys) {
        Header header = header(secretId, payload);
        Keyring.Version key;
        try {
            key = keys.apply(header.keyName(), header.keyVersion());
        } catch (MissingMasterKeyException e) {
            // The header is not authenticated: a key name the record body does not carry is damage, not a missing key.
            if (!header.keyName().equals(unverifiedKeyName(payload))) {
                throw tampered(secretId, new IOException("the header names master key '" + header.keyName()
                        + "', the record another", e));
            }
            throw e;
        }
        int nl = newline(payload);
        byte[] body = Arrays.copyOfRange(payload, nl + 1, payload.length);
        try {
            byte[] expected = JsonTree.read(Arrays.copyOf(payload, nl)).get("mac").binaryValue();
            if (!MessageDigest.isEqual(expected, mac(key, storeId, body))) {
                throw new IOException("authentication failed");
            }
            SecretRecord r = RecordReader.read(body);
            if (!secretId.equals(r.id) || r.generation != generation || !header.keyName().equals(r.keyName)) {
                throw new IOException("record belongs to another secret or generation");
            }
            return r;
        } catch (IOException e) {
            throw tampered(secretId, e);
        }
    }

    /** Parses the record without authenticating it: for listing metadata by a client without the key. */
    public static SecretRecord decodeUnverified(String secretId, byte[] payload) {
        int nl = newline(payload);
        try {
            if (nl < 0) {
                throw new IOException("no header line");
            }
            SecretRecord r = RecordReader.read(Arrays.copyOfRange(payload, nl + 1, payload.length));
            if (!secretId.equals(r.id)) {
                throw new IOException("record belongs to another secret");
            }
            return r;
        } catch (IOException e) {
            throw tampered(secretId, e);
        }
    }

    private static String unverifiedKeyName(byte[] payload) {
        int nl = newline(payload);
        try {
            return JsonTree.read(Arrays.copyOfRange(payload, nl + 1, payload.length)).path("keyName").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] mac(Keyring.Version key, String storeId, byte[] body) {
        return Hmac.mac(key.macKey(), ("secrets/record/v1\0" + storeId + "\0").getBytes(StandardCharsets.UTF_8), body);
    }

    private static int newline(byte[] payload) {
        for (int i = 0; i < payload.length && i < 8192; i++) {
            if (payload[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    public static SecretTamperedException tampered(String secretId, Exception cause) {
        return new SecretTamperedException("secret '" + secretId + "' failed its integrity check: its stored record was "
                + "changed outside this library or is damaged (" + cause.getMessage() + ")", cause);
    }
}
