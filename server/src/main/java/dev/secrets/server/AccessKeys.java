package dev.secrets.server;

import dev.secrets.SecretsClient;
import dev.secrets.server.internal.auth.AccessKeyStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * The access keys of {@code secrets serve}, kept encrypted in the store itself (docs/server.md):
 * what {@code secrets server access-key …} calls. A key has an ID, a secret access key (shown once,
 * by {@link #create} and {@link #rotate}), a unique name (the audit principal) and a policy in IAM's
 * JSON grammar, checked when given. Thread-safe.
 */
public final class AccessKeys {
    /** A key pair, as created or rotated. {@code toString} does not show the secret. */
    public record Pair(String accessKeyId, String name, String secretAccessKey) {
        @Override
        public String toString() {
            return "AccessKey[" + accessKeyId + ", " + name + "]";
        }
    }

    /** A key as listed. */
    public record Info(String accessKeyId, String name, boolean enabled, Instant created) {
    }

    private final AccessKeyStore store;

    public AccessKeys(SecretsClient client) {
        this.store = new AccessKeyStore(client, new SecureRandom(), 0, System::nanoTime);
    }

    /**
     * Creates a key named {@code name} with {@code policyJson}.
     *
     * @throws dev.secrets.SecretsException when the name is taken or invalid, or the policy is not valid
     */
    public Pair create(String name, String policyJson) {
        return pair(store.create(name, policy(policyJson)));
    }

    public List<Info> list() {
        return store.list().stream().map(i -> new Info(i.id(), i.name(), i.enabled(), i.created())).toList();
    }

    public void disable(String name) {
        store.setEnabled(name, false);
    }

    public void enable(String name) {
        store.setEnabled(name, true);
    }

    public void delete(String name) {
        store.delete(name);
    }

    /** A new secret access key under the same ID; the old one stops working (on running servers within their TTL). */
    public Pair rotate(String name) {
        return pair(store.rotate(name));
    }

    /** Replaces the key's policy. */
    public void setPolicy(String name, String policyJson) {
        store.setPolicy(name, policy(policyJson));
    }

    private static String policy(String json) {
        try {
            dev.secrets.server.internal.auth.Policy.parse(json, false);
            return json;
        } catch (dev.secrets.server.internal.api.AwsError e) {
            throw new dev.secrets.InvalidSecretException("invalid policy: " + e.getMessage());
        }
    }

    private static Pair pair(AccessKeyStore.Pair p) {
        return new Pair(p.id(), p.name(), p.secretAccessKey());
    }
}
