package dev.secrets.server.internal.api;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.server.internal.auth.AccessKeyStore;
import dev.secrets.server.internal.auth.Policy;
import dev.secrets.server.internal.auth.TtlCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Resource policies of secrets, kept as secrets under {@code .secrets-server/resource-policies/}
 * (named by the SHA-256 of the secret's name, so any name fits) with the ARN they belong to: a
 * policy left behind by a deleted secret does not apply to a new secret of the same name, whose ARN
 * differs. Cached for a TTL, absent ones too. Thread-safe.
 */
final class ResourcePolicies {
    private static final String PREFIX = AccessKeyStore.RESERVED_PREFIX + "resource-policies/";

    private record Stored(String arn, Policy policy) {
    }

    private final SecretsClient client;
    private final TtlCache<String, Stored> cache;

    ResourcePolicies(SecretsClient client, long ttlNanos, LongSupplier ticker) {
        this.client = client;
        this.cache = new TtlCache<>(ttlNanos, ticker, 10_000);
    }

    Optional<Policy> of(String name, String arn) {
        return cache.get(name, this::load).filter(s -> s.arn.equals(arn)).map(Stored::policy);
    }

    private Optional<Stored> load(String name) {
        try {
            Map<String, String> f = client.refresh(id(name)).value().fields();
            return Optional.of(new Stored(f.get("arn"), Policy.parse(f.get("policy"), true)));
        } catch (SecretNotFoundException e) {
            return Optional.empty();
        }
    }

    void put(String name, String arn, String document) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("arn", arn);
        f.put("policy", document);
        SecretValue v = SecretValue.ofFields(f);
        try {
            client.putSecretValue(id(name), v);
        } catch (SecretNotFoundException e) {
            client.createSecret(CreateSecretRequest.of(id(name), SecretKind.GENERIC, v)
                    .withDescription("secrets serve resource policy"));
        }
        cache.invalidate(name);
    }

    void delete(String name) {
        try {
            client.forceDeleteSecret(id(name));
        } catch (SecretNotFoundException e) {
            // nothing to delete
        }
        cache.invalidate(name);
    }

    private static String id(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
