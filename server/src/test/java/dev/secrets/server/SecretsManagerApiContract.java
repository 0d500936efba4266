package dev.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.server.testing.ServerFixture;
import dev.secrets.spi.AuditEvent;
import java.util.ArrayList;
import java.util.List;

import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.RotateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Every served action and every error through the unchanged AWS SDK for Java v2
 * {@code SecretsManagerClient}, pointed at a real server with {@code endpointOverride}. Run on the
 * file store and on s3proxy by the subclasses.
 */
abstract class SecretsManagerApiContract {
    private static final String ARN_PREFIX = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
    private static final String CANARY = "canary-value-7f3a9c";

    ServerFixture fx;
    SecretsManagerClient sm;
    String p; // a fresh name prefix per test

    abstract String storeUri();

    @BeforeEach
    void start() {
        fx = ServerFixture.start(storeUri());
        sm = fx.sdk(fx.admin);
        p = "t" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void createThenGet_returnsTheStringWithArnAndCurrentStage() {
        CreateSecretResponse c = sm.createSecret(b -> b.name(p + "db").secretString(CANARY).description("the db")
                .tags(Tag.builder().key("team").value("core").build()));
        assertThat(c.arn()).matches(java.util.regex.Pattern.quote(ARN_PREFIX + p + "db-") + "[A-Za-z0-9]{6}");
        assertThat(c.name()).isEqualTo(p + "db");
        GetSecretValueResponse g = sm.getSecretValue(b -> b.secretId(p + "db"));
        assertThat(g.secretString()).isEqualTo(CANARY);
        assertThat(g.versionStages()).containsExactly("AWSCURRENT");
        assertThat(g.versionId()).isEqualTo(c.versionId());
        assertThat(g.arn()).isEqualTo(c.arn());
        assertThat(g.createdDate()).isNotNull();
        // by full ARN, the same; the ARN is stable across calls
        assertThat(sm.getSecretValue(b -> b.secretId(c.arn())).secretString()).isEqualTo(CANARY);
        assertThat(sm.describeSecret(b -> b.secretId(p + "db")).arn()).isEqualTo(c.arn());
    }

    @Test
    void arnWithAnotherSuffix_isNotFound() {
        CreateSecretResponse c = sm.createSecret(b -> b.name(p + "x").secretString("v"));
        String suffix = c.arn().substring(c.arn().length() - 6);
        String other = c.arn().substring(0, c.arn().length() - 6) + (suffix.equals("AAAAAA") ? "BBBBBB" : "AAAAAA");
        assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId(other))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void deletedAndRecreatedName_getsAnotherArn() {
        String first = sm.createSecret(b -> b.name(p + "again").secretString("v")).arn();
        sm.deleteSecret(b -> b.secretId(p + "again").forceDeleteWithoutRecovery(true));
        String second = sm.createSecret(b -> b.name(p + "again").secretString("v")).arn();
        assertThat(second).isNotEqualTo(first);
        assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId(first))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void binarySecret_roundTrips() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, 42};
        sm.createSecret(b -> b.name(p + "bin").secretBinary(SdkBytes.fromByteArray(bytes)));
        GetSecretValueResponse g = sm.getSecretValue(b -> b.secretId(p + "bin"));
        assertThat(g.secretBinary().asByteArray()).isEqualTo(bytes);
        assertThat(g.secretString()).isNull();
    }

    @Test
    void createTwice_isResourceExists_andBothValues_isInvalidParameter() {
        sm.createSecret(b -> b.name(p + "dup").secretString("v"));
        assertThatThrownBy(() -> sm.createSecret(b -> b.name(p + "dup").secretString("w")))
                .isInstanceOf(ResourceExistsException.class);
        assertThatThrownBy(() -> sm.createSecret(b -> b.name(p + "both").secretString("v")
                .secretBinary(SdkBytes.fromByteArray(new byte[] {1}))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.describeSecret(b -> b.secretId(p + "both"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void putSecretValue_movesCurrentAndPrevious_andTokenIsIdempotent() {
        String v1 = sm.createSecret(b -> b.name(p + "s").secretString("one")).versionId();
        String token = UUID.randomUUID().toString();
        PutSecretValueResponse put = sm.putSecretValue(b -> b.secretId(p + "s").secretString("two").clientRequestToken(token));
        assertThat(put.versionId()).isEqualTo(token);
        assertThat(put.versionStages()).containsExactly("AWSCURRENT");
        assertThat(sm.putSecretValue(b -> b.secretId(p + "s").secretString("two").clientRequestToken(token)).versionId())
                .isEqualTo(token);
        assertThat(sm.getSecretValue(b -> b.secretId(p + "s")).secretString()).isEqualTo("two");
        GetSecretValueResponse prev = sm.getSecretValue(b -> b.secretId(p + "s").versionStage("AWSPREVIOUS"));
        assertThat(prev.secretString()).isEqualTo("one");
        assertThat(prev.versionId()).isEqualTo(v1);
        assertThat(sm.getSecretValue(b -> b.secretId(p + "s").versionId(v1)).secretString()).isEqualTo("one");
        // same token, other value: refused, nothing written
        assertThatThrownBy(() -> sm.putSecretValue(b -> b.secretId(p + "s").secretString("three").clientRequestToken(token)))
                .isInstanceOf(SecretsManagerException.class);
        assertThat(sm.getSecretValue(b -> b.secretId(p + "s")).secretString()).isEqualTo("two");
        // explicit stages move only those
        String staged = sm.putSecretValue(b -> b.secretId(p + "s").secretString("next").versionStages("AWSPENDING")).versionId();
        assertThat(sm.getSecretValue(b -> b.secretId(p + "s")).secretString()).isEqualTo("two");
        assertThat(sm.getSecretValue(b -> b.secretId(p + "s").versionStage("AWSPENDING")).versionId()).isEqualTo(staged);
    }

    @Test
    void updateSecret_changesDescriptionAndValue() {
        sm.createSecret(b -> b.name(p + "u").secretString("one"));
        String v = sm.updateSecret(b -> b.secretId(p + "u").description("new words").secretString("two")).versionId();
        assertThat(v).isNotNull();
        assertThat(sm.describeSecret(b -> b.secretId(p + "u")).description()).isEqualTo("new words");
        assertThat(sm.getSecretValue(b -> b.secretId(p + "u")).secretString()).isEqualTo("two");
    }

    @Test
    void updateSecretVersionStage_movesLabels_andChecksTheHolder() {
        String v1 = sm.createSecret(b -> b.name(p + "l").secretString("one")).versionId();
        String v2 = sm.putSecretValue(b -> b.secretId(p + "l").secretString("two")).versionId();
        sm.updateSecretVersionStage(b -> b.secretId(p + "l").versionStage("blue").moveToVersionId(v1));
        assertThat(sm.getSecretValue(b -> b.secretId(p + "l").versionStage("blue")).versionId()).isEqualTo(v1);
        assertThatThrownBy(() -> sm.updateSecretVersionStage(b -> b.secretId(p + "l").versionStage("AWSCURRENT")
                .moveToVersionId(v1).removeFromVersionId(v1))).isInstanceOf(InvalidParameterException.class);
        sm.updateSecretVersionStage(b -> b.secretId(p + "l").versionStage("AWSCURRENT").moveToVersionId(v1).removeFromVersionId(v2));
        assertThat(sm.getSecretValue(b -> b.secretId(p + "l")).secretString()).isEqualTo("one");
        sm.updateSecretVersionStage(b -> b.secretId(p + "l").versionStage("blue").removeFromVersionId(v1));
        assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId(p + "l").versionStage("blue")))
                .isInstanceOf(ResourceNotFoundException.class);
        DescribeSecretResponse d = sm.describeSecret(b -> b.secretId(p + "l"));
        assertThat(d.versionIdsToStages().get(v1)).containsExactly("AWSCURRENT");
        assertThat(d.versionIdsToStages().get(v2)).containsExactly("AWSPREVIOUS");
    }

    @Test
    void describeSecret_givesMetadataAndNoValue() {
        CreateSecretResponse c = sm.createSecret(b -> b.name(p + "d").secretString(CANARY).description("about")
                .tags(Tag.builder().key("env").value("prod").build()));
        DescribeSecretResponse d = sm.describeSecret(b -> b.secretId(c.arn()));
        assertThat(d.name()).isEqualTo(p + "d");
        assertThat(d.description()).isEqualTo("about");
        assertThat(d.tags()).containsExactly(Tag.builder().key("env").value("prod").build());
        assertThat(d.createdDate()).isNotNull();
        assertThat(d.lastChangedDate()).isNotNull();
        assertThat(d.kmsKeyId()).isEqualTo("default");
        assertThat(d.rotationEnabled()).isFalse();
        assertThat(d.versionIdsToStages()).containsOnlyKeys(c.versionId());
        assertThat(d.toString()).doesNotContain(CANARY);
    }

    @Test
    void listSecrets_filtersAndPages_andHidesTheServersOwn() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            sm.createSecret(b -> b.name(p + "list/" + n).secretString("v").description(n % 2 == 0 ? "even one" : "odd one")
                    .tags(Tag.builder().key(n < 2 ? "small" : "big").value("n" + n).build()));
        }
        List<String> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListSecretsResponse r = sm.listSecrets(b -> b.maxResults(2).nextToken(t)
                    .filters(Filter.builder().key(FilterNameStringType.NAME).values(p + "list/").build()));
            r.secretList().forEach(e -> all.add(e.name()));
            token = r.nextToken();
            pages++;
        } while (token != null);
        assertThat(all).containsExactly(p + "list/0", p + "list/1", p + "list/2", p + "list/3", p + "list/4");
        assertThat(pages).isEqualTo(3);
        assertThat(names(sm.listSecrets(b -> b.filters(
                Filter.builder().key(FilterNameStringType.NAME).values(p + "list/").build(),
                Filter.builder().key(FilterNameStringType.TAG_KEY).values("small").build()))))
                .containsExactly(p + "list/0", p + "list/1");
        assertThat(names(sm.listSecrets(b -> b.filters(
                Filter.builder().key(FilterNameStringType.NAME).values(p + "list/").build(),
                Filter.builder().key(FilterNameStringType.DESCRIPTION).values("odd").build()))))
                .containsExactly(p + "list/1", p + "list/3");
        assertThat(names(sm.listSecrets(b -> b.filters(
                Filter.builder().key(FilterNameStringType.NAME).values(p + "list/").build(),
                Filter.builder().key(FilterNameStringType.TAG_VALUE).values("!n4", "!n3").build()))))
                .containsExactly(p + "list/0", p + "list/1", p + "list/2");
        SecretListEntry e = sm.listSecrets(b -> b.filters(Filter.builder().key(FilterNameStringType.NAME).values(p + "list/0").build()))
                .secretList().get(0);
        assertThat(e.secretVersionsToStages()).hasSize(1);
        assertThat(e.arn()).startsWith(ARN_PREFIX + p + "list/0-");
        assertThat(sm.listSecrets(b -> b.maxResults(100)).secretList()).allSatisfy(s -> assertThat(s.name()).doesNotStartWith(".secrets-server"));
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SecretsManagerException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    private static List<String> names(ListSecretsResponse r) {
        return r.secretList().stream().map(SecretListEntry::name).collect(Collectors.toList());
    }

    @Test
    void listSecretVersionIds_listsLabelledVersions_andDeprecatedOnRequest() {
        String v1 = sm.createSecret(b -> b.name(p + "v").secretString("1")).versionId();
        String v2 = sm.putSecretValue(b -> b.secretId(p + "v").secretString("2")).versionId();
        String v3 = sm.putSecretValue(b -> b.secretId(p + "v").secretString("3")).versionId();
        ListSecretVersionIdsResponse r = sm.listSecretVersionIds(b -> b.secretId(p + "v"));
        assertThat(r.versions()).extracting(x -> x.versionId()).containsExactlyInAnyOrder(v2, v3);
        assertThat(sm.listSecretVersionIds(b -> b.secretId(p + "v").includeDeprecated(true)).versions())
                .extracting(x -> x.versionId()).containsExactlyInAnyOrder(v1, v2, v3);
        assertThat(r.name()).isEqualTo(p + "v");
    }

    @Test
    void deleteWithRecoveryWindow_blocksReads_untilRestore_andForceRemoves() {
        sm.createSecret(b -> b.name(p + "del").secretString("v"));
        assertThatThrownBy(() -> sm.deleteSecret(b -> b.secretId(p + "del").recoveryWindowInDays(3L)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.deleteSecret(b -> b.secretId(p + "del").recoveryWindowInDays(7L).forceDeleteWithoutRecovery(true)))
                .isInstanceOf(InvalidParameterException.class);
        DeleteSecretResponse d = sm.deleteSecret(b -> b.secretId(p + "del").recoveryWindowInDays(7L));
        assertThat(d.deletionDate()).isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(6)));
        assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId(p + "del"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("marked for deletion");
        assertThat(sm.describeSecret(b -> b.secretId(p + "del")).deletedDate()).isNotNull();
        sm.restoreSecret(b -> b.secretId(p + "del"));
        assertThat(sm.getSecretValue(b -> b.secretId(p + "del")).secretString()).isEqualTo("v");
        sm.deleteSecret(b -> b.secretId(p + "del").forceDeleteWithoutRecovery(true));
        assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId(p + "del"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void rotateSecret_runsTheNamedRotator_andCancelTurnsItOff() {
        sm.createSecret(b -> b.name(p + "rot").secretString("initial"));
        assertThatThrownBy(() -> sm.rotateSecret(b -> b.secretId(p + "rot"))).isInstanceOf(InvalidRequestException.class);
        RotateSecretResponse r = sm.rotateSecret(b -> b.secretId(p + "rot")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:000000000000:function:random-password")
                .rotationRules(x -> x.automaticallyAfterDays(30L)));
        GetSecretValueResponse now = sm.getSecretValue(b -> b.secretId(p + "rot"));
        assertThat(now.versionId()).isEqualTo(r.versionId());
        assertThat(now.secretString()).isNotEqualTo("initial").hasSize(32);
        assertThat(sm.getSecretValue(b -> b.secretId(p + "rot").versionStage("AWSPREVIOUS")).secretString()).isEqualTo("initial");
        DescribeSecretResponse d = sm.describeSecret(b -> b.secretId(p + "rot"));
        assertThat(d.rotationEnabled()).isTrue();
        assertThat(d.rotationLambdaARN()).endsWith(":function:random-password");
        assertThat(d.rotationRules().automaticallyAfterDays()).isEqualTo(30L);
        assertThat(d.lastRotatedDate()).isNotNull();
        assertThat(d.nextRotationDate()).isNotNull();
        // again, with the configured rotator
        String again = sm.rotateSecret(b -> b.secretId(p + "rot")).versionId();
        assertThat(sm.getSecretValue(b -> b.secretId(p + "rot")).versionId()).isEqualTo(again);
        sm.cancelRotateSecret(b -> b.secretId(p + "rot"));
        assertThat(sm.describeSecret(b -> b.secretId(p + "rot")).rotationEnabled()).isFalse();
        assertThatThrownBy(() -> sm.rotateSecret(b -> b.secretId(p + "rot").rotationLambdaARN("no-such-rotator")))
                .isInstanceOf(SecretsManagerException.class);
    }

    @Test
    void getRandomPassword_followsTheOptions() {
        String pw = sm.getRandomPassword(b -> b.passwordLength(20L).excludeNumbers(true).excludePunctuation(true)).randomPassword();
        assertThat(pw).hasSize(20).matches("[A-Za-z]+");
        assertThat(sm.getRandomPassword(b -> { }).randomPassword()).hasSize(32);
        assertThatThrownBy(() -> sm.getRandomPassword(b -> b.passwordLength(0L))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void tagAndUntag() {
        sm.createSecret(b -> b.name(p + "tags").secretString("v"));
        sm.tagResource(b -> b.secretId(p + "tags").tags(Tag.builder().key("a").value("1").build(), Tag.builder().key("b").value("2").build()));
        sm.untagResource(b -> b.secretId(p + "tags").tagKeys("a"));
        assertThat(sm.describeSecret(b -> b.secretId(p + "tags")).tags()).containsExactly(Tag.builder().key("b").value("2").build());
    }

    @Test
    void batchGetSecretValue_byListAndByFilter_reportsMissingOnesAsErrors() {
        sm.createSecret(b -> b.name(p + "batch/a").secretString("A"));
        sm.createSecret(b -> b.name(p + "batch/b").secretString("B"));
        BatchGetSecretValueResponse r = sm.batchGetSecretValue(b -> b.secretIdList(p + "batch/a", p + "batch/b", p + "batch/none"));
        assertThat(r.secretValues()).extracting(v -> v.secretString()).containsExactly("A", "B");
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.secretId()).isEqualTo(p + "batch/none");
            assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
        });
        BatchGetSecretValueResponse f = sm.batchGetSecretValue(b -> b.filters(
                Filter.builder().key(FilterNameStringType.NAME).values(p + "batch/").build()));
        assertThat(f.secretValues()).extracting(v -> v.name()).containsExactly(p + "batch/a", p + "batch/b");
    }

    @Test
    void resourcePolicy_grantsAndDenies_andRoundTrips() {
        String arn = sm.createSecret(b -> b.name(p + "rp").secretString("v")).arn();
        AccessKeys.Pair nobody = fx.keys.create("nobody-" + p.substring(1, 9), "{\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"secretsmanager:ListSecrets\",\"Resource\":\"*\"}}");
        SecretsManagerClient other = fx.sdk(nobody);
        assertDenied(() -> other.getSecretValue(b -> b.secretId(p + "rp")));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + nobody.name() + "\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"secretsmanager:DeleteSecret\",\"Resource\":\"" + arn + "\"}]}";
        assertThat(sm.validateResourcePolicy(b -> b.secretId(p + "rp").resourcePolicy(policy)).policyValidationPassed()).isTrue();
        assertThat(sm.validateResourcePolicy(b -> b.resourcePolicy("{\"Statement\":[{\"Effect\":\"Maybe\"}]}"))
                .policyValidationPassed()).isFalse();
        sm.putResourcePolicy(b -> b.secretId(p + "rp").resourcePolicy(policy));
        assertThat(sm.getResourcePolicy(b -> b.secretId(p + "rp")).resourcePolicy()).isEqualTo(policy);
        assertThat(other.getSecretValue(b -> b.secretId(p + "rp")).secretString()).isEqualTo("v");
        assertDenied(() -> sm.deleteSecret(b -> b.secretId(p + "rp").forceDeleteWithoutRecovery(true)));
        sm.deleteResourcePolicy(b -> b.secretId(p + "rp"));
        assertThat(sm.getResourcePolicy(b -> b.secretId(p + "rp")).resourcePolicy()).isNull();
        assertDenied(() -> other.getSecretValue(b -> b.secretId(p + "rp")));
        assertThatThrownBy(() -> sm.putResourcePolicy(b -> b.secretId(p + "rp").resourcePolicy("{\"Statement\":[]}")))
                .isInstanceOf(software.amazon.awssdk.services.secretsmanager.model.MalformedPolicyDocumentException.class);
    }

    @Test
    void policyOfTheKey_limitsWhatItDoes_andAuditNamesTheKey() {
        sm.createSecret(b -> b.name(p + "app/db").secretString("v"));
        sm.createSecret(b -> b.name(p + "ops/root").secretString("w"));
        AccessKeys.Pair reader = fx.keys.create("reader-" + p.substring(1, 9), "{\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"secretsmanager:Get*\",\"secretsmanager:DescribeSecret\"],\"Resource\":\"" + ARN_PREFIX + p + "app/*\"}]}");
        SecretsManagerClient r = fx.sdk(reader);
        fx.audit.clear();
        assertThat(r.getSecretValue(b -> b.secretId(p + "app/db")).secretString()).isEqualTo("v");
        assertThat(fx.audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("secret.read");
            assertThat(e.principal()).isEqualTo(reader.name());
        });
        assertDenied(() -> r.getSecretValue(b -> b.secretId(p + "ops/root")));
        assertDenied(() -> r.putSecretValue(b -> b.secretId(p + "app/db").secretString("x")));
        assertThatThrownBy(() -> r.getSecretValue(b -> b.secretId(p + "app/none"))).isInstanceOf(ResourceNotFoundException.class);
        assertDenied(() -> r.getSecretValue(b -> b.secretId(p + "ops/none")));
        assertThat(sm.getSecretValue(b -> b.secretId(p + "app/db")).secretString()).isEqualTo("v");
        // the server's own secrets are out of reach whatever the policy
        assertDenied(() -> sm.getSecretValue(b -> b.secretId(".secrets-server/arn-key")));
        assertDenied(() -> sm.createSecret(b -> b.name(".secrets-server/access-keys/SKIAAAAAAAAAAAAAAAAA").secretString("x")));
    }

    @Test
    void unknownKey_wrongSecret_disabledKey_areRefused_andAudited() {
        sm.createSecret(b -> b.name(p + "auth").secretString("v"));
        fx.audit.clear();
        assertThatThrownBy(() -> fx.sdk("SKIAUNKNOWNUNKNOWN22", "x".repeat(40)).getSecretValue(b -> b.secretId(p + "auth")))
                .isInstanceOfSatisfying(SecretsManagerException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        assertThatThrownBy(() -> fx.sdk(fx.admin.accessKeyId(), "y".repeat(40)).getSecretValue(b -> b.secretId(p + "auth")))
                .isInstanceOfSatisfying(SecretsManagerException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        List<AuditEvent> refused = fx.audit.stream().filter(e -> e.action().equals("server.auth")).toList();
        assertThat(refused).hasSize(2);
        assertThat(refused.get(0).principal()).isEqualTo("SKIAUNKNOWNUNKNOWN22");
        assertThat(refused.get(0).errorClass()).isEqualTo("UnrecognizedClientException");
        assertThat(refused.get(1).principal()).isEqualTo("admin");
        assertThat(refused.get(1).errorClass()).isEqualTo("InvalidSignatureException");
        assertThat(fx.audit.stream().filter(e -> e.action().equals("secret.read") && e.secretId().equals(p + "auth"))).isEmpty();

        AccessKeys.Pair temp = fx.keys.create("temp-" + p.substring(1, 9), ServerFixture.ALLOW_ALL);
        SecretsManagerClient t = fx.sdk(temp);
        assertThat(t.getSecretValue(b -> b.secretId(p + "auth")).secretString()).isEqualTo("v");
        fx.keys.disable(temp.name());
        assertThatThrownBy(() -> t.getSecretValue(b -> b.secretId(p + "auth"))).isInstanceOf(SecretsManagerException.class);
        fx.keys.enable(temp.name());
        assertThat(t.getSecretValue(b -> b.secretId(p + "auth")).secretString()).isEqualTo("v");
        AccessKeys.Pair rotated = fx.keys.rotate(temp.name());
        assertThat(rotated.accessKeyId()).isEqualTo(temp.accessKeyId());
        assertThatThrownBy(() -> t.getSecretValue(b -> b.secretId(p + "auth"))).isInstanceOf(SecretsManagerException.class);
        assertThat(fx.sdk(rotated).getSecretValue(b -> b.secretId(p + "auth")).secretString()).isEqualTo("v");
        fx.keys.delete(temp.name());
        assertThatThrownBy(() -> fx.sdk(rotated).getSecretValue(b -> b.secretId(p + "auth"))).isInstanceOf(SecretsManagerException.class);
        assertThat(fx.keys.list()).extracting(AccessKeys.Info::name).doesNotContain(temp.name());
    }

    @Test
    void replication_answersUnknownOperation_notA500() {
        sm.createSecret(b -> b.name(p + "rep").secretString("v"));
        assertThatThrownBy(() -> sm.replicateSecretToRegions(b -> b.secretId(p + "rep")
                .addReplicaRegions(r -> r.region("eu-west-1"))))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                });
    }

    @Test
    void missingSecret_isResourceNotFound_forEveryActionNamingOne() {
        String none = p + "none";
        List<Runnable> calls = List.of(
                () -> sm.getSecretValue(b -> b.secretId(none)),
                () -> sm.describeSecret(b -> b.secretId(none)),
                () -> sm.putSecretValue(b -> b.secretId(none).secretString("v")),
                () -> sm.updateSecret(b -> b.secretId(none).description("d")),
                () -> sm.deleteSecret(b -> b.secretId(none)),
                () -> sm.restoreSecret(b -> b.secretId(none)),
                () -> sm.tagResource(b -> b.secretId(none).tags(Tag.builder().key("k").value("v").build())),
                () -> sm.listSecretVersionIds(b -> b.secretId(none)),
                () -> sm.rotateSecret(b -> b.secretId(none)),
                () -> sm.cancelRotateSecret(b -> b.secretId(none)),
                () -> sm.getResourcePolicy(b -> b.secretId(none)));
        for (Runnable c : calls) {
            assertThatThrownBy(c::run).isInstanceOf(ResourceNotFoundException.class);
        }
        assertThat(sm.listSecrets(b -> b.filters(Filter.builder().key(FilterNameStringType.NAME).values(p).build())).secretList())
                .isEmpty();
    }

}
