package dev.secrets.s3;

import dev.secrets.SecretsConfig;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.ObjectStoreProvider;

/**
 * Opens {@code s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION&pathStyle=true]} stores (see
 * {@link S3StoreLocation}), with credentials from the AWS SDK's default chain.
 *
 * <p>Settings read from the configuration chain: {@value #MAX_ATTEMPTS} (attempts per request,
 * default {@value S3ObjectStore#DEFAULT_MAX_ATTEMPTS}) and {@value #TIMEOUT} (budget of one call with
 * its retries, default {@code 30s}). Opening makes no request.
 */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {
    /** Attempts per S3 request, the first included. */
    public static final String MAX_ATTEMPTS = "secrets.s3.max-attempts";
    /** Time budget of one S3 call, its retries included. */
    public static final String TIMEOUT = "secrets.s3.timeout";

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public ObjectStore open(String uri, SecretsConfig config) {
        return S3ObjectStore.builder(S3StoreLocation.parse(uri))
                .maxAttempts(config.integer(MAX_ATTEMPTS, S3ObjectStore.DEFAULT_MAX_ATTEMPTS, 1))
                .callTimeout(config.duration(TIMEOUT, S3ObjectStore.DEFAULT_CALL_TIMEOUT))
                .build();
    }
}
