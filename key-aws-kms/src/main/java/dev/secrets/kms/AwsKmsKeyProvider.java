package dev.secrets.kms;

import dev.secrets.spi.KeyProvider;
import dev.secrets.spi.KeyRoot;
import java.util.function.Function;

/**
 * {@code aws-kms:ARN[?endpoint=URL]} roots: a KMS key (key or alias ARN) wraps the keyring key.
 * Credentials come from the AWS SDK's default chain; the region from the ARN.
 */
public final class AwsKmsKeyProvider implements KeyProvider {
    @Override
    public String scheme() {
        return "aws-kms";
    }

    @Override
    public KeyRoot open(String keyName, String uri, Function<String, String> environment) {
        return AwsKmsRoot.open(keyName, AwsKmsUri.parse(keyName, uri));
    }
}
