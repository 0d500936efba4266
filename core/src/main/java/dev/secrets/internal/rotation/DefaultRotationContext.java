package dev.secrets.internal.rotation;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsException;
import dev.secrets.spi.RotationContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The context of one rotation attempt; remembers the values it read so that errors can be scrubbed of them. */
final class DefaultRotationContext implements RotationContext {
    private final RotationSupport engine;
    private final SecretId id;
    private final SecretKind kind;
    private final String token;
    private final Map<String, String> parameters;
    private final List<SecretValue> seen = new ArrayList<>();
    private final Runnable renewLease;

    DefaultRotationContext(RotationSupport engine, SecretId id, SecretKind kind, String token, Map<String, String> parameters,
                           Runnable renewLease) {
        this.engine = engine;
        this.renewLease = renewLease;
        this.id = id;
        this.kind = kind;
        this.token = token;
        this.parameters = Map.copyOf(parameters);
    }

    @Override
    public SecretId secretId() {
        return id;
    }

    @Override
    public SecretKind kind() {
        return kind;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public Optional<SecretVersion> current() {
        return read(GetSecretValueRequest.of(id.value()).withLabel(Label.CURRENT));
    }

    @Override
    public Optional<SecretVersion> previous() {
        return read(GetSecretValueRequest.of(id.value()).withLabel(Label.PREVIOUS));
    }

    @Override
    public Optional<SecretVersion> pendingValue() {
        return read(GetSecretValueRequest.of(id.value()).withVersionId(token));
    }

    private Optional<SecretVersion> read(GetSecretValueRequest req) {
        try {
            SecretVersion v = engine.get(req.bypassingCache());
            remember(v.value());
            return Optional.of(v);
        } catch (SecretNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void putPendingValue(SecretValue value) {
        remember(value);
        engine.put(new PutSecretValueRequest(id.value(), value, token, List.of(Label.PENDING)));
    }

    @Override
    public void promotePending() {
        engine.moveLabel(id.value(), Label.CURRENT, token, null);
    }

    boolean pendingIsCurrent() {
        return pendingValue().map(v -> v.labels().contains(Label.CURRENT)).orElse(false);
    }

    @Override
    public SecretVersion readSecret(String secretId) {
        // The runner may hold the keys of several teams: a rotation reads only secrets under the
        // rotated secret's own master key, or it would be a confused deputy for whoever sets its parameters.
        String own = engine.describe(id.value()).keyName();
        String other = engine.describe(secretId).keyName();
        if (!own.equals(other)) {
            throw new SecretsException("secret '" + secretId + "' is under master key '" + other + "', not under master key '" + own
                    + "' of secret '" + id + "' that is being rotated; a rotation reads only secrets under the rotated secret's own key");
        }
        SecretVersion v = engine.get(GetSecretValueRequest.of(secretId).bypassingCache());
        remember(v.value());
        return v;
    }

    @Override
    public SecureRandom random() {
        return engine.random();
    }

    @Override
    public Clock clock() {
        return engine.clock();
    }

    @Override
    public void renewLease() {
        renewLease.run();
    }

    private synchronized void remember(SecretValue v) {
        seen.add(v);
    }

    synchronized List<SecretValue> seenValues() {
        return List.copyOf(seen);
    }

    @Override
    public String toString() {
        return "RotationContext[" + id + ", token=" + token + "]";
    }
}
