package dev.secrets.s3.testing;

import dev.secrets.s3.S3ObjectStore;
import dev.secrets.s3.S3StoreLocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: s3proxy 4 embedded in the test JVM, on 127.0.0.1 and a free
 * port, with AWS signature v2/v4 authentication.
 *
 * <p>{@link #shared()} is one transient (in-memory) server per JVM, started on first use and
 * stopped when the JVM exits; tests isolate themselves with {@link #newBucket()}. It also sets the
 * system properties {@code aws.accessKeyId} / {@code aws.secretAccessKey} (unless already set) so
 * that the AWS SDK's default credentials chain — what users rely on — finds its credentials, as a
 * user's environment would provide them. {@link #filesystem} starts a private server whose data
 * survives {@link #stop()} and a new {@link #filesystem} on the same directory and port.
 *
 * <p>Thread-safe. Reused by the tests of the Spring starter and the CLI (test-jar of
 * secrets-backend-s3).
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "s3proxy-test-access";
    public static final String SECRET_KEY = "s3proxy-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static volatile S3ProxyServer shared;

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final URI endpoint;
    private final int port;
    private final S3Client admin;

    private S3ProxyServer(String provider, Properties props, int port) throws Exception {
        props.setProperty("jclouds.identity", ACCESS_KEY);
        props.setProperty("jclouds.credential", SECRET_KEY);
        this.blobStore = BlobStores.create(provider, props);
        this.proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.onSpinWait();
        }
        this.port = proxy.getPort();
        this.endpoint = URI.create("http://127.0.0.1:" + this.port);
        this.admin = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentials())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .endpointOverride(endpoint)
                .build();
    }

    /** The JVM's shared transient server, started on first use. */
    public static S3ProxyServer shared() {
        S3ProxyServer s = shared;
        if (s == null) {
            synchronized (S3ProxyServer.class) {
                s = shared;
                if (s == null) {
                    if (System.getProperty("aws.accessKeyId") == null) {
                        System.setProperty("aws.accessKeyId", ACCESS_KEY);
                        System.setProperty("aws.secretAccessKey", SECRET_KEY);
                    }
                    try {
                        s = new S3ProxyServer("transient", new Properties(), 0);
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start the embedded s3proxy", e);
                    }
                    S3ProxyServer started = s;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "s3proxy-stop"));
                    shared = s;
                }
            }
        }
        return s;
    }

    /**
     * A private server storing its objects under {@code dir}; {@code port} 0 picks a free port.
     * Start another on the same directory and port after {@link #stop()} to simulate a restart.
     */
    public static S3ProxyServer filesystem(Path dir, int port) {
        try {
            Files.createDirectories(dir);
            Properties p = new Properties();
            p.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
            return new S3ProxyServer("filesystem", p, port);
        } catch (Exception e) {
            throw new IllegalStateException("could not start s3proxy on " + dir, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return port;
    }

    /** The credentials this server accepts. */
    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** Environment variables that give a child process's AWS SDK this server's credentials. */
    public static Map<String, String> credentialsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    /** Creates a bucket with a fresh name and returns the name. */
    public String newBucket() {
        String name = "b" + BUCKETS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        createBucket(name);
        return name;
    }

    public void createBucket(String name) {
        admin.createBucket(b -> b.bucket(name));
    }

    /** The store URI of {@code bucket[/prefix]} on this server. */
    public String storeUri(String bucket, String prefix) {
        return "s3://" + bucket + (prefix == null || prefix.isEmpty() ? "" : "/" + prefix) + "?endpoint=" + endpoint + "&pathStyle=true";
    }

    /** The store URI of a new, empty bucket. */
    public String newStoreUri() {
        return storeUri(newBucket(), null);
    }

    /** A store builder for {@code uri} with this server's credentials (tests may add interceptors). */
    public S3ObjectStore.Builder storeBuilder(String uri) {
        return S3ObjectStore.builder(S3StoreLocation.parse(uri)).credentials(credentials());
    }

    /** A store in a new, empty bucket. */
    public S3ObjectStore newStore() {
        return storeBuilder(newStoreUri()).build();
    }

    /** A client of this server for assertions that bypass the store under test. */
    public S3Client admin() {
        return admin;
    }

    /** Stops the server; its port then refuses connections. */
    public void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop s3proxy", e);
        }
        admin.close();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "S3ProxyServer[" + endpoint + "]";
    }
}
