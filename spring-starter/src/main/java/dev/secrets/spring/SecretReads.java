package dev.secrets.spring;

import dev.secrets.BatchGetError;
import dev.secrets.BatchGetResult;
import dev.secrets.ListSecretsRequest;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.util.ArrayList;
import java.util.List;

/** The batch reads behind imports and reloads. */
final class SecretReads {
    private SecretReads() {
    }

    /** A secret of an import by prefix could not be read (other than having no value). */
    static final class UnreadableException extends SecretsException {
        private static final long serialVersionUID = 1L;
        private final String secretId;

        UnreadableException(BatchGetError e) {
            super(e.errorCode() + ": " + e.message());
            this.secretId = e.secretId();
        }

        String secretId() {
            return secretId;
        }
    }

    /**
     * The {@code CURRENT} version of every secret whose ID starts with {@code idPrefix}, read from the
     * store page by page (one listing and one batch read per 100 secrets). Secrets without a value are
     * left out.
     *
     * @throws UnreadableException when a secret cannot be read for another reason
     */
    static List<SecretVersion> underPrefix(SecretsClient client, String idPrefix) {
        List<SecretVersion> out = new ArrayList<>();
        ListSecretsRequest req = ListSecretsRequest.all().withPrefix(idPrefix);
        while (true) {
            BatchGetResult r = client.getSecretValues(req);
            out.addAll(r.values());
            for (BatchGetError e : r.errors()) {
                if (!e.errorCode().equals(BatchGetError.NOT_FOUND)) {
                    throw new UnreadableException(e);
                }
            }
            if (r.nextToken() == null) {
                return out;
            }
            req = req.withNextToken(r.nextToken());
        }
    }
}
