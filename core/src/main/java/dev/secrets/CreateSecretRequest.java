package dev.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link SecretsClient#createSecret} creates. Immutable; the {@code with…} methods return copies.
 *
 * @param id          the new secret's ID
 * @param kind        its kind; the value must fit it
 * @param value       its first value (labelled {@code CURRENT}), or null to create it without a value
 * @param description up to 2048 characters, or null
 * @param tags        up to 50 tags
 * @param keyName     the master key to encrypt under; {@code default} when null
 * @param token       idempotency token that becomes the first version's ID, or null for a random UUID
 */
public record CreateSecretRequest(String id, SecretKind kind, SecretValue value, String description,
                                  Map<String, String> tags, String keyName, String token) {
    public CreateSecretRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static CreateSecretRequest of(String id, SecretKind kind, SecretValue value) {
        return new CreateSecretRequest(id, kind, value, null, Map.of(), null, null);
    }

    public CreateSecretRequest withDescription(String d) {
        return new CreateSecretRequest(id, kind, value, d, tags, keyName, token);
    }

    public CreateSecretRequest withTags(Map<String, String> t) {
        return new CreateSecretRequest(id, kind, value, description, t, keyName, token);
    }

    public CreateSecretRequest withTag(String key, String tagValue) {
        Map<String, String> t = new LinkedHashMap<>(tags);
        t.put(key, tagValue);
        return withTags(t);
    }

    public CreateSecretRequest withKeyName(String k) {
        return new CreateSecretRequest(id, kind, value, description, tags, k, token);
    }

    public CreateSecretRequest withToken(String t) {
        return new CreateSecretRequest(id, kind, value, description, tags, keyName, t);
    }

    @Override
    public String toString() {
        return "CreateSecretRequest[" + id + ", " + kind + ", " + value + "]";
    }
}
