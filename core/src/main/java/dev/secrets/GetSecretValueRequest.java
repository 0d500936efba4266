package dev.secrets;

import java.util.Objects;

/**
 * Which version to read: by version ID, else by label, else {@code CURRENT}; through the cache
 * unless {@code bypassCache}.
 */
public record GetSecretValueRequest(String id, Label label, String versionId, boolean bypassCache) {
    public GetSecretValueRequest {
        Objects.requireNonNull(id, "id");
    }

    public static GetSecretValueRequest of(String id) {
        return new GetSecretValueRequest(id, null, null, false);
    }

    public GetSecretValueRequest withLabel(Label l) {
        return new GetSecretValueRequest(id, l, versionId, bypassCache);
    }

    public GetSecretValueRequest withVersionId(String v) {
        return new GetSecretValueRequest(id, label, v, bypassCache);
    }

    /** Reads from the store, not the cache, and refreshes the cache with what it read. */
    public GetSecretValueRequest bypassingCache() {
        return new GetSecretValueRequest(id, label, versionId, true);
    }
}
