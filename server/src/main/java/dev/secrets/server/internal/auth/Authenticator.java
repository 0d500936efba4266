package dev.secrets.server.internal.auth;

import dev.secrets.SecretsClient;
import dev.secrets.server.internal.api.AwsError;
import java.util.Optional;

/**
 * Who signed a request: parses its SigV4 {@code Authorization}, finds the access key, verifies the
 * signature. Every refusal is audited ({@code server.auth}, failure) under the key's name when the
 * key is known, else under the presented key ID, and never with the signature. Thread-safe.
 */
public final class Authenticator {
    private final SigV4Verifier verifier;
    private final AccessKeyStore keys;
    private final SecretsClient audit;

    public Authenticator(SigV4Verifier verifier, AccessKeyStore keys, SecretsClient audit) {
        this.verifier = verifier;
        this.keys = keys;
        this.audit = audit;
    }

    /** The verified caller, or an {@link AwsError} (audited). */
    public AccessKeyStore.Resolved authenticate(SigV4Verifier.Request request) {
        String who = "anonymous";
        try {
            SigV4Verifier.Credential c = verifier.parse(request);
            who = c.accessKeyId().replaceAll("[^A-Za-z0-9]", "?");
            Optional<AccessKeyStore.Resolved> key = keys.find(c.accessKeyId());
            if (key.isPresent()) {
                who = key.get().name();
            }
            if (key.isEmpty() || !key.get().enabled()) {
                throw new AwsError("UnrecognizedClientException", 400, "The security token included in the request is invalid.");
            }
            verifier.verify(request, c, key.get().secretAccessKey());
            return key.get();
        } catch (AwsError e) {
            String principal = who;
            try {
                audit.callAs(principal, () -> {
                    audit.auditEvent("server.auth", null, AuthFailures.of(e.type()));
                    return null;
                });
            } catch (RuntimeException auditRefused) {
                e.addSuppressed(auditRefused);
            }
            throw e;
        }
    }
}
