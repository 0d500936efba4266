package dev.secrets.internal.record;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.secrets.ValueType;
import java.util.ArrayList;
import java.util.List;

/** One immutable version inside a {@link SecretRecord}; only its labels ever change. */
@JsonPropertyOrder({"id", "labels", "created", "destroyed", "type", "keyVersion", "wrappedKey", "nonce", "ciphertext"})
public final class VersionEntry {
    public String id;
    public List<String> labels = new ArrayList<>();
    public String created;
    /** When the value was destroyed (its data key, nonce and ciphertext removed); null while it exists. */
    public String destroyed;
    public ValueType type;
    /** Version of the master key whose wrap key wraps {@link #wrappedKey}. */
    public int keyVersion;
    /** Nonce (12 bytes) followed by the GCM ciphertext and tag of the data key. */
    public byte[] wrappedKey;
    public byte[] nonce;
    /** GCM ciphertext and tag of the value. */
    public byte[] ciphertext;
}
