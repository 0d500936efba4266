package dev.secrets.server.internal.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * ARNs of secrets: {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX}. The six
 * characters are derived, not stored: the first six characters (alphabet {@code A-Za-z0-9}) of
 * HMAC-SHA256 under the store's ARN key of the secret's name and creation instant. Every server of a
 * store computes the same suffix; a name deleted and created again gets another. Thread-safe.
 */
public final class Arns {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final String prefix;
    private final byte[] key;

    public Arns(String region, String account, byte[] key) {
        this.prefix = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:";
        this.key = key.clone();
    }

    /** A secret ID as a request gave it: a name, or an ARN split into name and suffix (null for a partial ARN). */
    public record Ref(String name, String suffix, String whole) {
    }

    public String arn(String name, Instant created) {
        return prefix + name + "-" + suffix(name, created);
    }

    /** The ARN without its suffix, the resource of a secret that does not exist yet. */
    public String unsuffixed(String name) {
        return prefix + name;
    }

    public String suffix(String name, Instant created) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal((name + "\n" + created).getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(6);
            for (int i = 0; i < 6; i++) {
                b.append(ALPHABET.charAt((h[i] & 0xff) % ALPHABET.length()));
            }
            return b.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Splits a request's {@code SecretId}. An ARN of another region or account, or of another
     * resource type, names nothing here.
     */
    public Ref parse(String secretId) {
        if (!secretId.startsWith("arn:")) {
            return new Ref(secretId, null, secretId);
        }
        if (!secretId.startsWith(prefix)) {
            throw AwsError.notFound("Secrets Manager can't find the specified secret.");
        }
        String rest = secretId.substring(prefix.length());
        int n = rest.length();
        if (n > 7 && rest.charAt(n - 7) == '-') {
            return new Ref(rest.substring(0, n - 7), rest.substring(n - 6), rest);
        }
        return new Ref(rest, null, rest);
    }
}
