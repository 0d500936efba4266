package dev.secrets.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.server.testing.ServerFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * A second opinion: the same requests through the AWS SDK for Java v2 against moto
 * ({@code moto_server}, an independent implementation) and against {@code secrets serve}, comparing
 * for each the HTTP status, the error type and the shape of the answer (field names and JSON types,
 * not values such as ARNs, dates or version IDs). Every difference must be one listed in
 * {@link #FOLLOWING_THE_REFERENCE} (where we follow AWS's API reference and moto does not; also in
 * docs/server.md); any other difference fails the test.
 */
class MotoComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "00000000-0000-4000-8000-000000000001";
    private static final String V2 = "00000000-0000-4000-8000-000000000002";

    /**
     * Differences where our answer is the API reference's and moto's is not: step to "ours X" (only in
     * our answer) and "moto X" (only in moto's). Why, for each: docs/server.md, "moto and the reference".
     */
    static final Map<String, Set<String>> FOLLOWING_THE_REFERENCE = Map.of(
            "DescribeSecret", Set.of("moto SecretVersionsToStages:O", "moto SecretVersionsToStages.<id>:A",
                    "moto SecretVersionsToStages.<id>[]:S", "ours KmsKeyId:S", "ours LastAccessedDate:N",
                    "ours RotationEnabled:B"),
            "ListSecrets filtered", Set.of("moto SecretList[].VersionIdsToStages:O",
                    "moto SecretList[].VersionIdsToStages.<id>:A", "moto SecretList[].VersionIdsToStages.<id>[]:S",
                    "ours SecretList[].KmsKeyId:S", "ours SecretList[].RotationEnabled:B"),
            "ListSecretVersionIds", Set.of("moto NextToken:S", "moto Versions[].LastAccessedDate:N",
                    "ours Versions[].KmsKeyIds:A", "ours Versions[].KmsKeyIds[]:S"),
            "GetSecretValue missing", Set.of("moto status 404", "ours status 400"),
            "PutSecretValue missing", Set.of("moto status 404", "ours status 400"),
            "DescribeSecret force-deleted", Set.of("moto status 404", "ours status 400"));

    @TempDir
    Path dir;

    @Test
    void sameRequests_sameStatusErrorTypeAndShape() throws Exception {
        Map<String, Set<String>> ours;
        Map<String, Set<String>> moto;
        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"))) {
            ours = run(fx.endpoint(), fx.admin.accessKeyId(), fx.admin.secretAccessKey());
        }
        try (MotoProcess m = MotoProcess.start(dir)) {
            moto = run(m.endpoint(), "testing", "testing");
        }
        assertThat(ours.keySet()).containsExactlyElementsOf(moto.keySet());
        Map<String, Set<String>> differences = new LinkedHashMap<>();
        for (String step : ours.keySet()) {
            Set<String> d = new TreeSet<>();
            ours.get(step).stream().filter(x -> !moto.get(step).contains(x)).forEach(x -> d.add("ours " + x));
            moto.get(step).stream().filter(x -> !ours.get(step).contains(x)).forEach(x -> d.add("moto " + x));
            if (!d.isEmpty()) {
                differences.put(step, d);
            }
        }
        assertThat(differences).as("every difference from moto must be one where we follow AWS's API reference")
                .isEqualTo(FOLLOWING_THE_REFERENCE);
    }

    /** Runs the sequence; step name to "STATUS shape" or "STATUS ErrorType". */
    private Map<String, Set<String>> run(URI endpoint, String id, String secret) {
        Recorder recorder = new Recorder();
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        try (SecretsManagerClient sm = SecretsManagerClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(DefaultRetryStrategy.doNotRetry()).addExecutionInterceptor(recorder).build())
                .build()) {
            List<Step> steps = steps();
            for (Step s : steps) {
                recorder.body = new byte[0];
                Set<String> outcome;
                try {
                    s.call.accept(sm);
                    outcome = new TreeSet<>(shape(recorder.body));
                    outcome.add("status " + recorder.status);
                } catch (SecretsManagerException e) {
                    outcome = new TreeSet<>(Set.of("status " + e.statusCode(), "error " + e.awsErrorDetails().errorCode()));
                }
                seen.put(s.name, outcome);
            }
        }
        return seen;
    }

    private record Step(String name, Consumer<SecretsManagerClient> call) {
    }

    private static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(new Step("CreateSecret", sm -> sm.createSecret(b -> b.name("cmp/db").secretString("{\"password\":\"a\"}")
                .description("d").clientRequestToken(V1).tags(Tag.builder().key("team").value("core").build()))));
        s.add(new Step("CreateSecret existing", sm -> sm.createSecret(b -> b.name("cmp/db").secretString("x"))));
        s.add(new Step("CreateSecret binary", sm -> sm.createSecret(b -> b.name("cmp/bin")
                .secretBinary(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255})))));
        s.add(new Step("GetSecretValue", sm -> sm.getSecretValue(b -> b.secretId("cmp/db"))));
        s.add(new Step("GetSecretValue binary", sm -> sm.getSecretValue(b -> b.secretId("cmp/bin"))));
        s.add(new Step("PutSecretValue", sm -> sm.putSecretValue(b -> b.secretId("cmp/db").secretString("{\"password\":\"b\"}")
                .clientRequestToken(V2))));
        s.add(new Step("GetSecretValue AWSPREVIOUS", sm -> sm.getSecretValue(b -> b.secretId("cmp/db").versionStage("AWSPREVIOUS"))));
        s.add(new Step("GetSecretValue by version id", sm -> sm.getSecretValue(b -> b.secretId("cmp/db").versionId(V1))));
        s.add(new Step("DescribeSecret", sm -> sm.describeSecret(b -> b.secretId("cmp/db"))));
        s.add(new Step("ListSecretVersionIds", sm -> sm.listSecretVersionIds(b -> b.secretId("cmp/db"))));
        s.add(new Step("ListSecrets filtered", sm -> sm.listSecrets(b -> b.filters(Filter.builder()
                .key(FilterNameStringType.NAME).values("cmp/db").build()))));
        s.add(new Step("UpdateSecret description", sm -> sm.updateSecret(b -> b.secretId("cmp/db").description("d2"))));
        s.add(new Step("UpdateSecretVersionStage", sm -> sm.updateSecretVersionStage(b -> b.secretId("cmp/db")
                .versionStage("AWSCURRENT").moveToVersionId(V1).removeFromVersionId(V2))));
        s.add(new Step("TagResource", sm -> sm.tagResource(b -> b.secretId("cmp/db").tags(Tag.builder().key("env").value("t").build()))));
        s.add(new Step("UntagResource", sm -> sm.untagResource(b -> b.secretId("cmp/db").tagKeys("env"))));
        s.add(new Step("GetRandomPassword", sm -> sm.getRandomPassword(b -> b.passwordLength(20L))));
        s.add(new Step("BatchGetSecretValue", sm -> sm.batchGetSecretValue(b -> b.secretIdList("cmp/db", "cmp/missing"))));
        s.add(new Step("DeleteSecret with window", sm -> sm.deleteSecret(b -> b.secretId("cmp/db").recoveryWindowInDays(7L))));
        s.add(new Step("GetSecretValue scheduled for deletion", sm -> sm.getSecretValue(b -> b.secretId("cmp/db"))));
        s.add(new Step("RestoreSecret", sm -> sm.restoreSecret(b -> b.secretId("cmp/db"))));
        s.add(new Step("GetSecretValue missing", sm -> sm.getSecretValue(b -> b.secretId("cmp/missing"))));
        s.add(new Step("PutSecretValue missing", sm -> sm.putSecretValue(b -> b.secretId("cmp/missing").secretString("x"))));
        s.add(new Step("DeleteSecret force", sm -> sm.deleteSecret(b -> b.secretId("cmp/bin").forceDeleteWithoutRecovery(true))));
        s.add(new Step("DescribeSecret force-deleted", sm -> sm.describeSecret(b -> b.secretId("cmp/bin"))));
        s.add(new Step("DeleteSecret window and force", sm -> sm.deleteSecret(b -> b.secretId("cmp/db")
                .recoveryWindowInDays(7L).forceDeleteWithoutRecovery(true))));
        return s;
    }

    /**
     * The answer as a set of "path:kind" (kind O, A, S, N, B): field names and JSON types, not values.
     * A field whose value is JSON null is left out, as every AWS SDK reads it as absent; map keys that
     * are version IDs become {@code <id>}.
     */
    static Set<String> shape(byte[] body) {
        Set<String> out = new TreeSet<>();
        if (body.length == 0) {
            return out;
        }
        try {
            flatten(JSON.readTree(body), "", out);
        } catch (IOException e) {
            out.add("<not JSON>");
        }
        return out;
    }

    private static void flatten(JsonNode n, String path, Set<String> out) {
        if (n.isObject()) {
            if (!path.isEmpty()) {
                out.add(path + ":O");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!n.get(f).isNull()) {
                    String key = f.matches("[0-9a-f]{8}-[0-9a-f-]{27}") ? "<id>" : f;
                    flatten(n.get(f), path.isEmpty() ? key : path + "." + key, out);
                }
            }
        } else if (n.isArray()) {
            out.add(path + ":A");
            n.forEach(e -> flatten(e, path + "[]", out));
        } else {
            out.add(path + ":" + (n.isTextual() ? "S" : n.isNumber() ? "N" : n.isBoolean() ? "B" : "?"));
        }
    }

    /** Keeps the status and raw body of the last answer (the SDK still parses it as usual). */
    private static final class Recorder implements ExecutionInterceptor {
        volatile int status;
        volatile byte[] body = new byte[0];

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            status = context.httpResponse().statusCode();
            Optional<InputStream> in = context.responseBody();
            if (in.isEmpty()) {
                body = new byte[0];
                return in;
            }
            try (InputStream s = in.get()) {
                body = s.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Optional.of(new ByteArrayInputStream(body));
        }
    }
}
