package dev.secrets.kms;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretsException;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.spi.KeyRoot;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * A root that is a KMS key. The keyring key is a data key from {@code GenerateDataKey}
 * ({@code AES_256}), stored only as the ciphertext KMS returned; it is recovered with
 * {@code Decrypt} once per keyring load. The wrapping context — the store's ID and the master
 * key's name — is the KMS encryption context, so a keyring copied to another store or key fails
 * to decrypt (and CloudTrail shows which store and key each call was for). Every KMS error is one
 * clear line: access denied, disabled key, no such key (wrong region?), throttling, unreachable.
 */
final class AwsKmsRoot implements KeyRoot {
    private final String keyName;
    private final AwsKmsUri uri;
    private final KmsClient kms;

    private AwsKmsRoot(String keyName, AwsKmsUri uri, KmsClient kms) {
        this.keyName = keyName;
        this.uri = uri;
        this.kms = kms;
    }

    /**
     * Builds the client and, when the credentials may {@code DescribeKey}, checks that the key is
     * enabled, so a disabled key is reported before any use.
     */
    static AwsKmsRoot open(String keyName, AwsKmsUri uri) {
        KmsClientBuilder b = KmsClient.builder().region(Region.of(uri.region())).httpClient(UrlConnectionHttpClient.create());
        if (uri.endpoint() != null) {
            b.endpointOverride(uri.endpoint());
        }
        KmsClient client;
        try {
            client = b.build();
        } catch (SdkClientException e) {
            throw new ConfigurationException("master key '" + keyName + "' (aws-kms:" + uri.arn() + "): the KMS client cannot be built: "
                    + e.getMessage(), e);
        }
        AwsKmsRoot root = new AwsKmsRoot(keyName, uri, client);
        root.checkEnabled();
        return root;
    }

    private void checkEnabled() {
        DescribeKeyResponse d;
        try {
            d = kms.describeKey(r -> r.keyId(uri.arn()));
        } catch (KmsException e) {
            if (accessDenied(e)) {
                return; // DescribeKey is not required; GenerateDataKey/Decrypt report a disabled key themselves
            }
            throw failure("DescribeKey", e);
        } catch (SdkClientException e) {
            throw failure("DescribeKey", e);
        }
        KeyState state = d.keyMetadata().keyState();
        if (state == KeyState.DISABLED) {
            throw disabled(null);
        }
        if (state != KeyState.ENABLED) {
            throw new SecretsException(where() + ": the KMS key is in state " + d.keyMetadata().keyStateAsString()
                    + " and cannot be used");
        }
    }

    @Override
    public String scheme() {
        return "aws-kms";
    }

    @Override
    public String describe() {
        return "aws-kms:" + uri.arn();
    }

    @Override
    public NewKey generate(Map<String, String> context) {
        try {
            GenerateDataKeyResponse r = kms.generateDataKey(b -> b.keyId(uri.arn()).keySpec(DataKeySpec.AES_256).encryptionContext(context));
            byte[] plain = r.plaintext().asByteArray();
            try {
                return new NewKey(plain, r.ciphertextBlob().asByteArray());
            } finally {
                java.util.Arrays.fill(plain, (byte) 0);
            }
        } catch (KmsException | SdkClientException e) {
            throw failure("GenerateDataKey", e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        try {
            DecryptResponse r = kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(wrapped)).keyId(uri.arn())
                    .encryptionContext(context));
            return r.plaintext().asByteArray();
        } catch (InvalidCiphertextException e) {
            throw new WrongMasterKeyException("KMS refused the keyring key: it was not encrypted by " + uri.arn()
                    + " for this store and master key (encryption context " + context + ")");
        } catch (IncorrectKeyException e) {
            throw new WrongMasterKeyException("the keyring key was encrypted by another KMS key than " + uri.arn());
        } catch (KmsException e) {
            if (accessDenied(e)) {
                String other = encryptedBy(wrapped, context);
                if (other != null) {
                    throw new WrongMasterKeyException("the keyring key was encrypted by another KMS key (" + other + "), not "
                            + uri.arn());
                }
            }
            throw failure("Decrypt", e);
        } catch (SdkClientException e) {
            throw failure("Decrypt", e);
        }
    }

    /**
     * KMS answers a ciphertext of another key with {@code IncorrectKeyException} when a KeyId is
     * given, but some implementations (moto) with a bare {@code AccessDeniedException}: this tells
     * the two apart by asking which key made the ciphertext (Decrypt without KeyId; its plaintext
     * is discarded). Returns that key's ARN, or {@code null} when access is really denied.
     */
    private String encryptedBy(byte[] wrapped, Map<String, String> context) {
        try {
            DecryptResponse r = kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(wrapped)).encryptionContext(context));
            java.util.Arrays.fill(r.plaintext().asByteArrayUnsafe(), (byte) 0);
            return r.keyId();
        } catch (KmsException | SdkClientException e) {
            return null;
        }
    }

    private String where() {
        return "master key '" + keyName + "' (aws-kms:" + uri.arn() + ")";
    }

    private SecretsException disabled(Throwable cause) {
        SecretsException e = new SecretsException(where() + ": the KMS key is disabled; enable it (aws kms enable-key --key-id "
                + uri.arn() + ") or rekey to another root");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private SecretsException failure(String call, RuntimeException e) {
        if (e instanceof DisabledException) {
            return disabled(e);
        }
        if (e instanceof NotFoundException) {
            return new SecretsException(where() + ": " + call + ": no such KMS key in region " + uri.region()
                    + " (is the ARN's region the key's region?)", e);
        }
        if (e instanceof KmsInvalidStateException) {
            return new SecretsException(where() + ": " + call + ": the KMS key cannot be used in its current state (pending deletion or import?)", e);
        }
        if (e instanceof SdkClientException) {
            return new SecretsException(where() + ": " + call + ": KMS cannot be reached"
                    + (uri.endpoint() != null ? " at " + uri.endpoint() : " in region " + uri.region()) + " (" + e.getMessage() + ")", e);
        }
        String code = e instanceof KmsException k ? errorCode(k) : null;
        if (e instanceof KmsException k && accessDenied(k)) {
            return new SecretsException(where() + ": " + call + ": access denied; the caller's IAM policy and the key policy must allow kms:"
                    + call, e);
        }
        if ("ThrottlingException".equals(code) || "LimitExceededException".equals(code)) {
            return new SecretsException(where() + ": " + call + ": KMS throttled the request after the SDK's retries; retry later", e);
        }
        if ("UnrecognizedClientException".equals(code) || "InvalidSignatureException".equals(code)) {
            return new SecretsException(where() + ": " + call + ": the AWS credentials were refused (" + code + ")", e);
        }
        return new SecretsException(where() + ": " + call + " failed: " + (code != null ? code : e.getClass().getSimpleName()), e);
    }

    /**
     * KMS answers {@code AccessDeniedException} (HTTP 400); an IAM-enforcing front (moto's, or a
     * proxy) may answer HTTP 403 with {@code AccessDenied}. Both mean the same to the operator.
     */
    private static boolean accessDenied(KmsException e) {
        String code = errorCode(e);
        return "AccessDeniedException".equals(code) || "AccessDenied".equals(code) || e.statusCode() == 403;
    }

    private static String errorCode(KmsException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public void close() {
        kms.close();
    }

    @Override
    public String toString() {
        return "AwsKmsRoot[" + describe() + "]";
    }
}
