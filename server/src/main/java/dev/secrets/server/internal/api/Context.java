package dev.secrets.server.internal.api;

import dev.secrets.SecretDescription;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretsClient;
import dev.secrets.server.internal.auth.AccessKeyStore;
import dev.secrets.server.internal.auth.Policy;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What every action shares: the client, ARNs, resource policies, and the two steps every action
 * naming a secret takes first — resolve the name or ARN, then authorise. Thread-safe.
 */
public final class Context {
    private final SecretsClient client;
    private final Arns arns;
    private final String region;
    private final String account;
    private final SecureRandom random;
    private final ResourcePolicies resourcePolicies;
    private final java.time.Clock clock;

    public Context(SecretsClient client, Arns arns, String region, String account, SecureRandom random,
                   long policyTtlNanos, LongSupplier ticker, java.time.Clock clock) {
        this.client = client;
        this.arns = arns;
        this.region = region;
        this.account = account;
        this.random = random;
        this.resourcePolicies = new ResourcePolicies(client, policyTtlNanos, ticker);
        this.clock = clock;
    }

    /** A secret a request names, resolved. */
    record Target(String name, SecretDescription description, String arn) {
    }

    SecretsClient client() {
        return client;
    }

    Arns arns() {
        return arns;
    }

    String region() {
        return region;
    }

    String account() {
        return account;
    }

    java.time.Clock clock() {
        return clock;
    }

    SecureRandom random() {
        return random;
    }

    ResourcePolicies resourcePolicies() {
        return resourcePolicies;
    }

    static boolean reserved(String name) {
        return name.startsWith(AccessKeyStore.RESERVED_PREFIX);
    }

    /**
     * Resolves the secret named by field {@code SecretId} (name or ARN) and checks that the caller
     * may do {@code action} on it. A secret that does not exist is checked against its name's
     * unsuffixed ARN first, so a caller learns nothing about secrets it may not touch.
     */
    Target target(Call call, String action) {
        return target(call, action, call.requiredString("SecretId"));
    }

    Target target(Call call, String action, String secretId) {
        Arns.Ref ref = arns.parse(secretId);
        Optional<Target> t = find(ref.name(), ref.suffix());
        if (t.isEmpty() && ref.suffix() != null) {
            t = find(ref.whole(), null); // a partial ARN whose name ends like a suffix
        }
        if (t.isEmpty()) {
            authorize(call, action, arns.unsuffixed(ref.name()), ref.name());
            throw AwsError.notFound("Secrets Manager can't find the specified secret.");
        }
        authorize(call, action, t.get().arn(), t.get().name());
        return t.get();
    }

    private Optional<Target> find(String name, String suffix) {
        if (reserved(name) || dev.secrets.SecretId.problem(name) != null) {
            return Optional.empty();
        }
        try {
            SecretDescription d = client.describeSecret(name);
            String arn = arns.arn(name, d.created());
            if (suffix != null && !arn.endsWith("-" + suffix)) {
                return Optional.empty();
            }
            return Optional.of(new Target(name, d, arn));
        } catch (SecretNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * IAM's evaluation over the caller's policy and the secret's resource policy: an explicit deny
     * in either wins, then an allow in either, else the request is denied.
     */
    void authorize(Call call, String action, String resource, String name) {
        if (name != null && reserved(name)) {
            throw AwsError.accessDenied("Names under " + AccessKeyStore.RESERVED_PREFIX + " are reserved for the server.");
        }
        String fullAction = "secretsmanager:" + action;
        Policy.Decision identity = call.policy().evaluate(fullAction, resource, call.caller(), account);
        Policy.Decision resourceDecision = Policy.Decision.NOT_APPLICABLE;
        if (name != null && !resource.equals("*")) {
            Optional<Policy> rp = resourcePolicies.of(name, resource);
            if (rp.isPresent()) {
                resourceDecision = rp.get().evaluate(fullAction, resource, call.caller(), account);
            }
        }
        if (identity == Policy.Decision.DENY || resourceDecision == Policy.Decision.DENY
                || (identity != Policy.Decision.ALLOW && resourceDecision != Policy.Decision.ALLOW)) {
            throw AwsError.accessDenied("User: " + call.caller() + " is not authorized to perform: " + fullAction
                    + " on resource: " + resource);
        }
    }
}
