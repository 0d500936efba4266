package dev.secrets.s3;

import dev.secrets.ConfigurationException;
import dev.secrets.StoreUnavailableException;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.RefusedObjectException;
import dev.secrets.spi.StoredObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} in an S3 bucket (AWS S3 or any S3-compatible server), under an optional
 * key prefix: key {@code a/b/~0001} is the object {@code PREFIX/a/b/~0001}.
 *
 * <p>{@link #putIfAbsent} is a {@code PutObject} with {@code If-None-Match: *}: the server creates
 * the object only when there is none, atomically, and an object appears whole or not at all (a PUT
 * that fails part-way leaves nothing). {@code 412 Precondition Failed} means the object exists;
 * {@code 409 ConditionalRequestConflict} (a concurrent conditional write) is retried. When the
 * SDK retries a PUT whose first attempt did land (its response was lost), the retry meets
 * {@code 412}; so on {@code 412} the store reads the object back and reports {@code true} when it
 * holds exactly the bytes given — everything core writes carries a random write ID or nonce, so
 * equal bytes mean this call created it (for two writers of byte-identical objects, both are told
 * {@code true}, and the object holds what each wanted). Nothing else
 * is conditional: the record log in core builds compare-and-set on create-if-absent alone, so this
 * store never relies on {@code If-Match}, which S3-compatible servers do not all apply atomically.
 *
 * <p>Faults: the SDK retries connection errors, throttling ({@code 503 SlowDown}) and server errors
 * with exponential backoff, at most {@link Builder#maxAttempts} attempts within
 * {@link Builder#callTimeout}; after that the call throws {@link StoreUnavailableException} with the
 * store, the operation, the key and the server's error code — never credentials. Every other
 * failure (access denied, missing bucket) also throws {@link StoreUnavailableException}, saying
 * what is wrong.
 *
 * <p>Requests per call: {@link #get} one {@code GetObject}; {@link #putIfAbsent} one
 * {@code PutObject} (plus one {@code GetObject} when it finds the key taken, to tell a retried
 * write of its own from another writer's); {@link #delete} one {@code DeleteObject}; {@link #list}
 * one {@code ListObjectsV2}.
 *
 * <p>Thread-safe; share one instance. {@link #close()} closes the S3 client.
 */
public final class S3ObjectStore implements ObjectStore {
    /** Attempts per request (the first one and the retries) unless configured otherwise. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** Time budget of one call, retries included, unless configured otherwise. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** S3 returns at most this many keys per list request. */
    static final int MAX_KEYS = 1000;
    private static final int CONFLICT_ATTEMPTS = 8;
    private static final String PERMISSIONS = "s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket";

    private final S3Client s3;
    private final S3StoreLocation location;
    private final String root;
    private final int maxAttempts;

    private S3ObjectStore(S3Client s3, S3StoreLocation location, int maxAttempts) {
        this.s3 = s3;
        this.location = location;
        this.root = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        this.maxAttempts = maxAttempts;
    }

    /** A builder for the store at {@code location}. */
    public static Builder builder(S3StoreLocation location) {
        return new Builder(location);
    }

    /** The store at {@code uri} ({@code s3://BUCKET[/PREFIX][?…]}) with default settings. */
    public static S3ObjectStore open(String uri) {
        return builder(S3StoreLocation.parse(uri)).build();
    }

    /** Where this store is. */
    public S3StoreLocation storeLocation() {
        return location;
    }

    private String objectKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            throw new IllegalArgumentException("bad key");
        }
        return root + key;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return getWithETag(key).map(StoredObject::bytes);
    }

    /** The object and the ETag S3 gives for it (the same as in {@code ListObjectsV2}). */
    @Override
    public Optional<StoredObject> getWithETag(String key) {
        String objectKey = objectKey(key);
        try {
            // Read at most MAX_OBJECT_BYTES: whoever can write to the bucket must not exhaust a reader's memory.
            // A larger object comes back as its size (not thrown: the SDK would retry a failed transformation).
            Object got = s3.getObject(b -> b.bucket(location.bucket()).key(objectKey), (response, in) -> {
                Long length = response.contentLength();
                if (length != null && length > MAX_OBJECT_BYTES) {
                    in.abort();
                    return length;
                }
                byte[] bytes = in.readNBytes(MAX_OBJECT_BYTES + 1);
                if (bytes.length > MAX_OBJECT_BYTES) {
                    in.abort();
                    return (long) bytes.length;
                }
                return new StoredObject(bytes, response.eTag());
            });
            if (got instanceof Long size) {
                throw tooLarge(key, size);
            }
            return Optional.of((StoredObject) got);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return Optional.empty();
            }
            throw unavailable("read", key, e);
        } catch (SdkException e) {
            throw unavailable("read", key, e);
        }
    }

    private RefusedObjectException tooLarge(String key, long size) {
        return new RefusedObjectException(location() + ": object " + key + " is " + size + " bytes or more, more than the "
                + MAX_OBJECT_BYTES + " an object may have; it is not read");
    }


    @Override
    public boolean putIfAbsent(String key, byte[] bytes) {
        String objectKey = objectKey(key);
        String md5 = md5(bytes);
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> b.bucket(location.bucket()).key(objectKey).ifNoneMatch("*").contentMD5(md5)
                        .contentLength((long) bytes.length).contentType("application/octet-stream"), RequestBody.fromBytes(bytes));
                return true;
            } catch (AwsServiceException e) {
                if (e.statusCode() == 412) {
                    // The key is taken. When an attempt of this very call succeeded but its response
                    // was lost, the SDK's retry lands here too: the object then holds our bytes, which
                    // carry a random write ID, so equal bytes mean the create was ours.
                    return get(key).map(existing -> Arrays.equals(existing, bytes)).orElse(false);
                }
                if (e.statusCode() == 409 && attempt < CONFLICT_ATTEMPTS) {
                    // ConditionalRequestConflict: a concurrent conditional write to the same key; try again.
                    backoff(attempt, key);
                    continue;
                }
                throw unavailable("write", key, e);
            } catch (SdkException e) {
                throw unavailable("write", key, e);
            }
        }
    }

    @Override
    public void delete(String key) {
        String objectKey = objectKey(key);
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(objectKey));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return;
            }
            throw unavailable("delete", key, e);
        } catch (SdkException e) {
            throw unavailable("delete", key, e);
        }
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 0) {
            throw new IllegalArgumentException("limit < 0");
        }
        try {
            ListObjectsV2Response r = s3.listObjectsV2(b -> {
                b.bucket(location.bucket()).prefix(root + prefix).maxKeys(Math.max(1, Math.min(limit, MAX_KEYS)));
                if (startAfter != null) {
                    b.startAfter(root + startAfter);
                }
            });
            List<String> keys = new ArrayList<>(r.contents().size());
            List<String> etags = new ArrayList<>(r.contents().size());
            for (S3Object o : r.contents()) {
                if (keys.size() < limit && o.key().startsWith(root)) {
                    keys.add(o.key().substring(root.length()));
                    etags.add(o.eTag());
                }
            }
            boolean truncated = Boolean.TRUE.equals(r.isTruncated()) || keys.size() < r.contents().size();
            return new ListPage(keys, truncated, etags);
        } catch (SdkException e) {
            throw unavailable("list", prefix, e);
        }
    }

    @Override
    public String location() {
        return location.uri();
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + location.uri() + "]";
    }

    private void backoff(int attempt, String key) {
        long ceiling = Math.min(2000, 50L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("S3 store " + location.uri() + ": interrupted while writing '" + key + "'", e);
        }
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private StoreUnavailableException unavailable(String what, String key, SdkException e) {
        StringBuilder sb = new StringBuilder("S3 store ").append(location.uri()).append(": could not ").append(what).append(" '")
                .append(key).append("': ");
        if (e instanceof AwsServiceException se) {
            String code = errorCode(se);
            sb.append("HTTP ").append(se.statusCode());
            if (code != null) {
                sb.append(' ').append(code);
            }
            if ("NoSuchBucket".equals(code)) {
                sb.append(" (bucket '").append(location.bucket()).append("' does not exist; create it first)");
            } else if (se.statusCode() == 403) {
                sb.append(" (the credentials from the AWS SDK's default chain were refused; they need ").append(PERMISSIONS)
                        .append(" on bucket '").append(location.bucket()).append("')");
            } else if (se.statusCode() == 503 || se.statusCode() >= 500) {
                sb.append(" (still failing after ").append(maxAttempts).append(" attempts with backoff)");
            }
            if (se.requestId() != null) {
                sb.append(", request ID ").append(se.requestId());
            }
        } else {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int nl = m.indexOf('\n');
            sb.append(nl < 0 ? m : m.substring(0, nl));
            if (!m.contains("credentials")) {
                sb.append(" (gave up after at most ").append(maxAttempts).append(" attempts with backoff)");
            }
        }
        return new StoreUnavailableException(sb.toString(), e);
    }

    private static String md5(byte[] bytes) {
        try {
            // Content-MD5 makes the server refuse a body damaged in transit; it is not a security measure.
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    /**
     * Builds an {@link S3ObjectStore}. Defaults: credentials from the AWS SDK's default chain,
     * {@value #DEFAULT_MAX_ATTEMPTS} attempts per request, a 30 s budget per call, the JDK's
     * {@code HttpURLConnection} as HTTP client.
     */
    public static final class Builder {
        private final S3StoreLocation location;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private AwsCredentialsProvider credentials;
        private final List<ExecutionInterceptor> interceptors = new ArrayList<>();
        private Consumer<S3ClientBuilder> customizer = b -> {
        };

        private Builder(S3StoreLocation location) {
            this.location = Objects.requireNonNull(location, "location");
        }

        /** Attempts per request, the first included (at least 1). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new ConfigurationException("S3 max attempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Time budget of one call, its retries included. */
        public Builder callTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException("S3 call timeout must be positive");
            }
            this.callTimeout = timeout;
            return this;
        }

        /** Credentials instead of the default chain (for embedding; configuration uses the default chain). */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Adds an SDK execution interceptor (metrics, request counting, tracing) to the S3 client. */
        public Builder addInterceptor(ExecutionInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * A last say over the S3 client's builder, applied after every other setting: execution
         * interceptors (metrics, request counting), a proxy, another HTTP client.
         */
        public Builder clientCustomizer(Consumer<S3ClientBuilder> customizer) {
            this.customizer = this.customizer.andThen(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        public S3ObjectStore build() {
            S3ClientBuilder b = S3Client.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(connectTimeout).socketTimeout(callTimeout))
                    .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
                    .region(Region.of(region()))
                    .forcePathStyle(location.pathStyle())
                    // Checksums only where S3 requires them, for the widest range of S3-compatible
                    // servers; every PUT carries Content-MD5 instead.
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(o -> o
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(maxAttempts)
                                    .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(2)))
                                    .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(5)))
                                    // Every call gets its attempts: a fleet's shared budget would turn a
                                    // short outage into failures that outlast it.
                                    .circuitBreakerEnabled(false)
                                    .build())
                            .apiCallTimeout(callTimeout)
                            .executionInterceptors(List.copyOf(interceptors)));
            if (location.endpoint() != null) {
                b.endpointOverride(location.endpoint());
            }
            customizer.accept(b);
            return new S3ObjectStore(b.build(), location, maxAttempts);
        }

        private String region() {
            if (location.region() != null) {
                return location.region();
            }
            if (location.endpoint() != null) {
                return "us-east-1"; // what S3-compatible servers expect when none is configured
            }
            try {
                return new DefaultAwsRegionProviderChain().getRegion().id();
            } catch (SdkException e) {
                throw new ConfigurationException("store URI " + location.uri() + " names no region and the AWS SDK found none; "
                        + "add ?region=REGION to the URI or set AWS_REGION", e);
            }
        }
    }
}
