package dev.secrets.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsException;
import dev.secrets.internal.json.Json;
import dev.secrets.internal.json.JsonTree;
import dev.secrets.spi.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The store's identity: a random UUID in the object {@code store}, created once by the first
 * writer ({@code putIfAbsent}) and bound into every ciphertext's associated data.
 */
public final class StoreIdentity {
    /** The key of the store's identity object. */
    public static final String KEY = "store";
    private final ObjectStore store;
    private final Clock clock;
    private volatile String id;

    public StoreIdentity(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The store's ID, or empty when nothing was ever written to it. */
    public Optional<String> existing() {
        String s = id;
        if (s != null) {
            return Optional.of(s);
        }
        Optional<byte[]> bytes = store.get(KEY);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        id = parse(bytes.get());
        return Optional.of(id);
    }

    /** The store's ID, creating the store's identity when it has none. */
    public String forWrite() {
        Optional<String> e = existing();
        if (e.isPresent()) {
            return e.get();
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("format", 1);
        n.put("id", UUID.randomUUID().toString());
        n.put("created", clock.instant().toString());
        try {
            store.putIfAbsent(KEY, Json.MAPPER.writeValueAsBytes(n));
        } catch (IOException ex) {
            throw new SecretsException("could not encode the store identity", ex);
        }
        return existing().orElseThrow(() -> new SecretsException("store " + store.location() + " lost its identity object"));
    }

    private String parse(byte[] bytes) {
        try {
            JsonNode n = JsonTree.read(bytes);
            String s = n.path("id").asText("");
            if (s.isEmpty()) {
                throw new IOException("no id");
            }
            return s;
        } catch (IOException e) {
            throw new SecretsException("the identity object of store " + store.location() + " is damaged", e);
        }
    }
}
