package dev.secrets.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.SecretsException;
import dev.secrets.file.FileObjectStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The KMS errors that moto can produce beyond a disabled key (see {@link AwsKmsRootTest}), each one
 * clear message naming the master key, the KMS call and what to do:
 * <ul>
 *   <li>access denied — a moto that enforces IAM, and an IAM user whose policy allows only
 *       {@code kms:DescribeKey};</li>
 *   <li>wrong region — the ARN names a region where the key does not exist;</li>
 *   <li>throttling — moto never throttles, so a loopback proxy in front of the real moto answers
 *       {@code Decrypt} with KMS's {@code ThrottlingException} (400, JSON 1.1 error body, as KMS
 *       documents it) and forwards everything else; the SDK's own retries run before the error.</li>
 * </ul>
 */
class AwsKmsErrorsTest {
    private static final String REGION = "eu-west-1";

    @TempDir
    Path dir;

    private static SecretsClient client(Path store, String keyUri) {
        return SecretsClient.builder()
                .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build())
                .environment(k -> null).store(new FileObjectStore(store)).masterKey("default", keyUri).cacheTtl(Duration.ZERO).build();
    }

    private static KmsClient kms(URI endpoint) {
        return KmsClient.builder().region(Region.of(REGION)).endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void accessDenied_namesTheCallAndThePolicyToFix_andWritesNothing() throws Exception {
        // 4 requests before moto enforces IAM: CreateKey, CreateUser, PutUserPolicy, CreateAccessKey.
        try (MotoServer.Instance moto = MotoServer.startEnforcingIam(4); KmsClient kms = kms(moto.endpoint());
             IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(moto.endpoint())
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            String arn = kms.createKey(b -> b.description("secrets access-denied test")).keyMetadata().arn();
            iam.createUser(b -> b.userName("app"));
            iam.putUserPolicy(b -> b.userName("app").policyName("describe-only").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:DescribeKey\",\"Resource\":\"*\"}]}"));
            AccessKey key = iam.createAccessKey(b -> b.userName("app")).accessKey();
            String uri = "aws-kms:" + arn + "?endpoint=" + moto.endpoint();
            Path store = dir.resolve("store");
            withCredentials(key, () -> {
                try (SecretsClient c = client(store, uri)) {
                    assertThatThrownBy(() -> c.createSecret(CreateSecretRequest.of("app/api", SecretKind.GENERIC,
                            SecretValue.ofText("canary-4b1d"))))
                            .isInstanceOf(SecretsException.class)
                            .hasMessageContaining("master key 'default' (aws-kms:" + arn + "): GenerateDataKey: access denied; "
                                    + "the caller's IAM policy and the key policy must allow kms:GenerateDataKey")
                            .hasMessageNotContaining("canary-4b1d");
                }
            });
            // The store's identity object (its name, the KMS encryption context) is written when a client opens it.
            assertThat(objects(store)).as("a refused key operation writes no keyring and no secret")
                    .containsOnly(store.resolve("store"));
        }
    }

    @Test
    void wrongRegion_saysTheKeyIsNotInTheArnsRegion() throws Exception {
        URI endpoint = MotoServer.start();
        try (KmsClient kms = kms(endpoint)) {
            String arn = kms.createKey(b -> b.description("secrets region test")).keyMetadata().arn();
            String elsewhere = arn.replace(":" + REGION + ":", ":ap-southeast-2:");
            assertThatThrownBy(() -> client(dir, "aws-kms:" + elsewhere + "?endpoint=" + endpoint))
                    .isInstanceOf(SecretsException.class)
                    .hasMessage("master key 'default' (aws-kms:" + elsewhere + "): DescribeKey: no such KMS key in region ap-southeast-2"
                            + " (is the ARN's region the key's region?)");
        }
    }

    @Test
    void throttling_afterTheSdksRetries_isOneClearError_andTheNextReadSucceeds() throws Exception {
        URI moto = MotoServer.start();
        AtomicBoolean throttle = new AtomicBoolean();
        AtomicInteger throttled = new AtomicInteger();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        proxy.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (throttle.get() && "TrentService.Decrypt".equals(target)) {
                throttled.incrementAndGet();
                byte[] err = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                ex.sendResponseHeaders(400, err.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(err);
                }
                return;
            }
            HttpRequest.Builder r = HttpRequest.newBuilder(moto.resolve(ex.getRequestURI().toString()))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!List.of("host", "content-length", "connection", "expect").contains(k.toLowerCase())) {
                    vs.forEach(v -> r.header(k, v));
                }
            });
            try {
                HttpResponse<byte[]> resp = forward.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
                resp.headers().firstValue("Content-Type").ifPresent(t -> ex.getResponseHeaders().set("Content-Type", t));
                ex.sendResponseHeaders(resp.statusCode(), resp.body().length == 0 ? -1 : resp.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(resp.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
            }
        });
        proxy.start();
        URI viaProxy = URI.create("http://127.0.0.1:" + proxy.getAddress().getPort());
        try (KmsClient kms = kms(moto)) {
            String arn = kms.createKey(b -> b.description("secrets throttling test")).keyMetadata().arn();
            String uri = "aws-kms:" + arn + "?endpoint=" + viaProxy;
            Path store = dir.resolve("store");
            try (SecretsClient c = client(store, uri)) {
                c.createSecret(CreateSecretRequest.of("app/api", SecretKind.GENERIC, SecretValue.ofText("value-1")));
            }
            throttle.set(true);
            try (SecretsClient c = client(store, uri)) {
                assertThatThrownBy(() -> c.getSecretValue("app/api")).isInstanceOf(SecretsException.class)
                        .hasMessageContaining("master key 'default' (aws-kms:" + arn + "): Decrypt: KMS throttled the request after the"
                                + " SDK's retries; retry later");
            }
            assertThat(throttled.get()).as("the SDK retried a throttled Decrypt before giving up").isGreaterThan(1);
            throttle.set(false);
            try (SecretsClient c = client(store, uri)) {
                assertThat(c.getSecretValue("app/api").text()).isEqualTo("value-1");
            }
        } finally {
            proxy.stop(0);
        }
    }

    private static void withCredentials(AccessKey key, Runnable r) {
        // The aws-kms: provider uses the SDK's default chain, whose first source is these system properties.
        String id = System.getProperty("aws.accessKeyId");
        String secret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", key.accessKeyId());
        System.setProperty("aws.secretAccessKey", key.secretAccessKey());
        try {
            r.run();
        } finally {
            System.setProperty("aws.accessKeyId", id);
            System.setProperty("aws.secretAccessKey", secret);
        }
    }

    private static List<Path> objects(Path store) throws Exception {
        if (!Files.exists(store)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(store)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
