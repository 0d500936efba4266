package dev.secrets.server.internal.auth;

import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.ListSecretsRequest;
import dev.secrets.Page;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Access keys kept in the store itself: one secret per key under {@link #PREFIX}, its value
 * ({@code secretAccessKey}, {@code policy}) encrypted under the master key {@code default} like
 * any secret, its name and status in tags so that listing decrypts nothing. Lookups by key ID are
 * cached for a TTL so that a change made elsewhere (the CLI, another server) takes effect within it.
 * Thread-safe.
 */
public final class AccessKeyStore {
    /** Where the server keeps what it owns in the store; never reachable through the API. */
    public static final String RESERVED_PREFIX = ".secrets-server/";
    static final String PREFIX = RESERVED_PREFIX + "access-keys/";
    /**
     * One secret per key name, holding the key's ID: created before the key itself, and a create
     * of a secret that exists fails in the store's compare-and-set, so two simultaneous creates of
     * one name (two operators, two servers) cannot both succeed. Named by a hash because a key name
     * may hold characters that a secret ID may not.
     */
    static final String NAMES = RESERVED_PREFIX + "access-key-names/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@+=-]{1,64}");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** A key as the server uses it to verify and authorise. {@code toString} hides the secret. */
    public record Resolved(String id, String name, boolean enabled, String secretAccessKey, Policy policy) {
        @Override
        public String toString() {
            return "AccessKey[" + id + ", " + name + (enabled ? "" : ", disabled") + "]";
        }
    }

    /** A key as listed: no secret. */
    public record Info(String id, String name, boolean enabled, Instant created) {
    }

    /** A freshly made or rotated pair, shown once. {@code toString} hides the secret. */
    public record Pair(String id, String name, String secretAccessKey) {
        @Override
        public String toString() {
            return "AccessKeyPair[" + id + ", " + name + "]";
        }
    }

    private final SecretsClient client;
    private final SecureRandom random;
    private final TtlCache<String, Resolved> cache;

    public AccessKeyStore(SecretsClient client, SecureRandom random, long ttlNanos, LongSupplier ticker) {
        this.client = client;
        this.random = random;
        this.cache = new TtlCache<>(ttlNanos, ticker, 10_000);
    }

    /** The key with this ID, enabled or not; empty when there is none. Cached for the TTL. */
    public Optional<Resolved> find(String accessKeyId) {
        if (!accessKeyId.matches("[A-Z0-9]{16,128}")) {
            return Optional.empty();
        }
        return cache.get(accessKeyId, this::load);
    }

    private Optional<Resolved> load(String id) {
        try {
            SecretDescription d = client.describeSecret(PREFIX + id);
            if (d.isScheduledForDeletion()) {
                return Optional.empty();
            }
            SecretVersion v = client.refresh(PREFIX + id);
            Map<String, String> f = v.value().fields();
            return Optional.of(new Resolved(id, d.tags().get("name"), "enabled".equals(d.tags().get("status")),
                    f.get("secretAccessKey"), Policy.parse(f.get("policy"), false)));
        } catch (SecretNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Creates a key named {@code name} with {@code policy}; the name must be new. */
    public Pair create(String name, String policyDocument) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SecretsException("an access key name is 1 to 64 characters from A-Z a-z 0-9 _ . @ + = -");
        }
        Policy.parse(policyDocument, false);
        if (idOf(name).isPresent()) {
            throw taken(name);
        }
        String id = "SKIA" + random(ID_ALPHABET, 16);
        try {
            client.createSecret(CreateSecretRequest.of(nameSecret(name), SecretKind.GENERIC, SecretValue.ofFields(Map.of("id", id)))
                    .withDescription("secrets serve access key name"));
        } catch (InvalidSecretException e) {
            if (exists(nameSecret(name))) {
                throw taken(name); // another create of this name won the race
            }
            throw e;
        }
        String secret = random(SECRET_ALPHABET, 40);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("name", name);
        tags.put("status", "enabled");
        try {
            client.createSecret(CreateSecretRequest.of(PREFIX + id, SecretKind.GENERIC, value(secret, policyDocument))
                    .withDescription("secrets serve access key").withTags(tags));
        } catch (RuntimeException e) {
            try {
                client.forceDeleteSecret(nameSecret(name)); // free the name again; the key was not made
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
        return new Pair(id, name, secret);
    }

    private boolean exists(String secretId) {
        try {
            client.describeSecret(secretId);
            return true;
        } catch (SecretNotFoundException e) {
            return false;
        }
    }

    private static SecretsException taken(String name) {
        return new SecretsException("an access key named '" + name + "' already exists");
    }

    static String nameSecret(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return NAMES + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every key, by name. */
    public List<Info> list() {
        List<Info> out = new ArrayList<>();
        String token = null;
        do {
            Page<SecretDescription> page = client.listSecrets(
                    ListSecretsRequest.all().withPrefix(PREFIX).withPageSize(ListSecretsRequest.MAX_PAGE_SIZE).withNextToken(token));
            for (SecretDescription d : page.items()) {
                out.add(new Info(d.id().value().substring(PREFIX.length()), d.tags().get("name"),
                        "enabled".equals(d.tags().get("status")), d.created()));
            }
            token = page.nextToken();
        } while (token != null);
        out.sort(java.util.Comparator.comparing(Info::name));
        return out;
    }

    public void setEnabled(String name, boolean enabled) {
        String id = require(name);
        client.tagSecret(PREFIX + id, Map.of("status", enabled ? "enabled" : "disabled"));
        cache.invalidate(id);
    }

    public void delete(String name) {
        Optional<String> id = idOf(name);
        if (id.isEmpty()) {
            // A create interrupted between its two writes leaves only the name: deleting it frees the name.
            if (exists(nameSecret(name))) {
                client.forceDeleteSecret(nameSecret(name));
                return;
            }
            throw notFound(name);
        }
        client.forceDeleteSecret(PREFIX + id.get());
        cache.invalidate(id.get());
        if (exists(nameSecret(name))) {
            client.forceDeleteSecret(nameSecret(name));
        }
    }

    /** A new secret access key under the same ID and policy; the old one stops working. */
    public Pair rotate(String name) {
        String id = require(name);
        String policy = client.refresh(PREFIX + id).value().fields().get("policy");
        String secret = random(SECRET_ALPHABET, 40);
        client.putSecretValue(PREFIX + id, value(secret, policy));
        cache.invalidate(id);
        return new Pair(id, name, secret);
    }

    /** Replaces the policy of a key. */
    public void setPolicy(String name, String policyDocument) {
        Policy.parse(policyDocument, false);
        String id = require(name);
        String secret = client.refresh(PREFIX + id).value().fields().get("secretAccessKey");
        client.putSecretValue(PREFIX + id, value(secret, policyDocument));
        cache.invalidate(id);
    }

    private static SecretValue value(String secret, String policy) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("secretAccessKey", secret);
        f.put("policy", policy);
        return SecretValue.ofFields(f);
    }

    private String require(String name) {
        return idOf(name).orElseThrow(() -> notFound(name));
    }

    private static SecretNotFoundException notFound(String name) {
        return new SecretNotFoundException("no access key named '" + name + "'");
    }

    private Optional<String> idOf(String name) {
        return list().stream().filter(i -> name.equals(i.name())).map(Info::id).findFirst();
    }

    private String random(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
