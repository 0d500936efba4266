package dev.secrets.benchmarks;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.SecretsServer;
import dev.secrets.server.ServerConfig;
import dev.secrets.testing.InMemoryObjectStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * {@code GetSecretValue} over loopback HTTPS (TLS 1.3, keep-alive) from 1, 8 and 64 concurrent
 * clients, against the floor: the same server stack answering a constant body. Every client request
 * is signed with the AWS SDK's SigV4 signer in every variant, so the client's cost is the same.
 *
 * <ul>
 *   <li>{@code server}: {@code secrets serve} (JDK {@code HttpsServer}, SigV4 verification, policy,
 *       the library's cached read of a 64-byte value on an in-memory store, JSON) answering
 *       {@code GetSecretValue};</li>
 *   <li>{@code jdkConstant}: the same JDK {@code HttpsServer} and thread pool reading the body and
 *       answering a constant JSON of the same size — the floor;</li>
 *   <li>{@code jettyConstant}: Jetty 12 answering the same constant — the alternative HTTP stack.</li>
 * </ul>
 * Modes: throughput (ops/s) and sample time (p50/p99 per request).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ServerBenchmark}
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ServerBenchmark {
    @Param({"server", "jdkConstant", "jettyConstant"})
    public String variant;

    private SecretsClient client;
    private SecretsServer server;
    private HttpsServer jdk;
    private ExecutorService jdkPool;
    private ExecutorService clientPool;
    private Server jetty;
    private HttpClient http;
    private URI endpoint;
    private AccessKeys.Pair key;
    private byte[] body;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("server-bench");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X509Certificate cert = selfSigned(kp);
        SSLContext serverTls = serverContext(kp, cert);
        client = Fixtures.client(InMemoryObjectStore.withoutETags());
        client.createSecret(CreateSecretRequest.of("bench/app/db", SecretKind.GENERIC, SecretValue.ofText("v".repeat(64))));
        key = new AccessKeys(client).create("bench", "{\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}}");
        body = "{\"SecretId\":\"bench/app/db\"}".getBytes(StandardCharsets.UTF_8);
        byte[] constant = ("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:bench/app/db-AbCdEf\","
                + "\"Name\":\"bench/app/db\",\"VersionId\":\"00000000-0000-0000-0000-000000000000\",\"SecretString\":\""
                + "v".repeat(64) + "\",\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1764650000.000}")
                .getBytes(StandardCharsets.UTF_8);
        switch (variant) {
            case "server": {
                Path certFile = dir.resolve("tls.crt");
                Path keyFile = dir.resolve("tls.key");
                try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
                    pem.writeObject(cert);
                }
                try (Writer w = Files.newBufferedWriter(keyFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
                    pem.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
                }
                server = SecretsServer.start(client, ServerConfig.builder().port(0).tlsCert(certFile).tlsKey(keyFile).build());
                endpoint = URI.create(server.endpoint() + "/");
                break;
            }
            case "jdkConstant": {
                System.setProperty("sun.net.httpserver.nodelay", "true"); // as secrets serve sets it (HttpFront)
                jdk = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
                jdk.setHttpsConfigurator(new HttpsConfigurator(serverTls));
                jdkPool = Executors.newFixedThreadPool(64);
                jdk.setExecutor(jdkPool);
                jdk.createContext("/", ex -> {
                    try (InputStream in = ex.getRequestBody()) {
                        in.readAllBytes();
                    }
                    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                    ex.sendResponseHeaders(200, constant.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(constant);
                    }
                });
                jdk.start();
                endpoint = URI.create("https://127.0.0.1:" + jdk.getAddress().getPort() + "/");
                break;
            }
            case "jettyConstant": {
                jetty = new Server(new QueuedThreadPool(64));
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setSslContext(serverTls);
                HttpConfiguration hc = new HttpConfiguration();
                SecureRequestCustomizer src = new SecureRequestCustomizer();
                src.setSniHostCheck(false);
                hc.addCustomizer(src);
                ServerConnector c = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(hc));
                c.setHost("127.0.0.1");
                c.setPort(0);
                jetty.addConnector(c);
                jetty.setHandler(new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) throws Exception {
                        Content.Source.asByteBuffer(request); // read the body, as the other variants do
                        response.setStatus(200);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-amz-json-1.1");
                        response.write(true, ByteBuffer.wrap(constant), callback);
                        return true;
                    }
                });
                jetty.start();
                endpoint = URI.create("https://127.0.0.1:" + c.getLocalPort() + "/");
                break;
            }
            default:
                throw new IllegalArgumentException(variant);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(clientTls).sslParameters(params)
                .executor(clientPool = Executors.newFixedThreadPool(4)).build();
        String check = call();
        if (!check.contains("\"SecretString\":\"" + "v".repeat(64))) {
            throw new IllegalStateException("unexpected answer of " + variant + ": " + check.length() + " bytes");
        }
    }

    private String call() throws Exception {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue").build();
        Map<String, List<String>> headers = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .request(request).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request().headers();
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(variant + " answered " + r.statusCode());
        }
        return r.body();
    }

    @Benchmark
    @Threads(1)
    public String clients1() throws Exception {
        return call();
    }

    @Benchmark
    @Threads(8)
    public String clients8() throws Exception {
        return call();
    }

    @Benchmark
    @Threads(64)
    public String clients64() throws Exception {
        return call();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        clientPool.shutdownNow(); // its threads are not daemons: left running, they hold the fork open
        if (server != null) {
            server.close();
        }
        if (jdk != null) {
            jdk.stop(0);
            jdkPool.shutdownNow();
        }
        if (jetty != null) {
            jetty.stop();
        }
        client.close();
    }

    private static X509Certificate selfSigned(KeyPair kp) throws Exception {
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }

    private static SSLContext serverContext(KeyPair kp, X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", kp.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

}
