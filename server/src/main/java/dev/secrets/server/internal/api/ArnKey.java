package dev.secrets.server.internal.api;

import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.server.internal.auth.AccessKeyStore;
import java.security.SecureRandom;

/** The store's ARN key (32 random bytes at {@code .secrets-server/arn-key}), made by the first server to start. */
public final class ArnKey {
    static final String ID = AccessKeyStore.RESERVED_PREFIX + "arn-key";

    private ArnKey() {
    }

    public static byte[] loadOrCreate(SecretsClient client, SecureRandom random) {
        try {
            return client.refresh(ID).value().bytes();
        } catch (SecretNotFoundException absent) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            try {
                client.createSecret(CreateSecretRequest.of(ID, SecretKind.GENERIC, SecretValue.ofBytes(key))
                        .withDescription("secrets serve: key of the ARN suffixes"));
                return key;
            } catch (InvalidSecretException raced) {
                return client.refresh(ID).value().bytes(); // another server made it first
            }
        }
    }
}
