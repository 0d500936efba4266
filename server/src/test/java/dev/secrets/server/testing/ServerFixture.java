package dev.secrets.server.testing;

import dev.secrets.SecretsClient;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.SecretsServer;
import dev.secrets.server.ServerConfig;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.testing.IsolatedConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A real server on 127.0.0.1 and a free port, over a real store (a file store in a folder or an
 * s3proxy bucket), with an admin key and an audit sink the tests read. {@link #sdk} gives the
 * unchanged AWS SDK client for any key pair.
 */
public final class ServerFixture implements AutoCloseable {
    public static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]}";

    public final SecretsClient client;
    public final SecretsServer server;
    public final AccessKeys keys;
    public final AccessKeys.Pair admin;
    public final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final List<SecretsManagerClient> sdks = new CopyOnWriteArrayList<>();

    private ServerFixture(String storeUri, byte[] masterKey, ServerConfig config, Duration cacheTtl, TrustManager[] trust) {
        AuditSink sink = audit::add;
        this.client = SecretsClient.builder().config(IsolatedConfig.get()).store(storeUri).masterKey("default", masterKey)
                .cacheTtl(cacheTtl).auditSink(sink).build();
        this.keys = new AccessKeys(client);
        AccessKeys.Pair a;
        try {
            a = keys.create("admin", ALLOW_ALL);
        } catch (RuntimeException exists) {
            a = null; // a second server on the same store: the first made "admin"
        }
        this.admin = a;
        this.server = SecretsServer.start(client, config, Clock.systemUTC(), System::nanoTime);
        this.trust = trust;
    }

    private final TrustManager[] trust;

    public static ServerFixture start(String storeUri) {
        return start(storeUri, Duration.ofHours(1));
    }

    public static ServerFixture start(String storeUri, Duration cacheTtl) {
        return new ServerFixture(storeUri, masterKey(), ServerConfig.builder().port(0).accessKeyTtl(Duration.ZERO).build(),
                cacheTtl, null);
    }

    public static ServerFixture start(String storeUri, ServerConfig config, TrustManager[] trust) {
        return new ServerFixture(storeUri, masterKey(), config, Duration.ofHours(1), trust);
    }

    public static byte[] masterKey() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 42);
        return k;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** The unchanged AWS SDK client, signing with {@code pair}, pointed at this server; no retries (errors show at once). */
    public SecretsManagerClient sdk(AccessKeys.Pair pair) {
        return sdk(pair.accessKeyId(), pair.secretAccessKey());
    }

    public SecretsManagerClient sdk(String id, String secret) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder();
        if (trust != null) {
            http.tlsTrustManagersProvider(() -> trust);
        }
        SecretsManagerClient c = sdk(endpoint(), id, secret, http);
        sdks.add(c);
        return c;
    }

    /** The unchanged AWS SDK client for any server at {@code endpoint} (plain HTTP); no retries. The caller closes it. */
    public static SecretsManagerClient sdk(URI endpoint, AccessKeys.Pair pair) {
        return sdk(endpoint, pair.accessKeyId(), pair.secretAccessKey(), UrlConnectionHttpClient.builder());
    }

    private static SecretsManagerClient sdk(URI endpoint, String id, String secret, UrlConnectionHttpClient.Builder http) {
        return SecretsManagerClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
                .httpClientBuilder(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()).build())
                .build();
    }

    @Override
    public void close() {
        sdks.forEach(SecretsManagerClient::close);
        server.close();
        client.close();
    }
}
