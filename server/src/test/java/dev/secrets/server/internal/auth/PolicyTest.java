package dev.secrets.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.server.internal.api.AwsError;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IAM's evaluation, case by case: explicit Deny wins, then Allow, else deny; wildcards as IAM matches them. */
class PolicyTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
    private static final String DB = ARN + "prod/db-AbCdEf";
    private static final String OTHER = ARN + "dev/app-XyZ123";

    private static String allow(String action, String resource) {
        return stmt("Allow", action, resource);
    }

    private static String deny(String action, String resource) {
        return stmt("Deny", action, resource);
    }

    private static String stmt(String effect, String action, String resource) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + action + ",\"Resource\":" + resource + "}";
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // 1-3 default deny; exact allow; other action
                Arguments.of(policy(allow("\"secretsmanager:DescribeSecret\"", "\"*\"")), "GetSecretValue", DB, false),
                Arguments.of(policy(allow("\"secretsmanager:GetSecretValue\"", "\"*\"")), "GetSecretValue", DB, true),
                Arguments.of(policy(allow("\"secretsmanager:GetSecretValue\"", "\"" + DB + "\"")), "GetSecretValue", OTHER, false),
                // 4-6 action wildcards, case-insensitive actions
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"*\"")), "DeleteSecret", DB, true),
                Arguments.of(policy(allow("\"secretsmanager:Get*\"", "\"*\"")), "GetSecretValue", DB, true),
                Arguments.of(policy(allow("\"SecretsManager:getsecretvalue\"", "\"*\"")), "GetSecretValue", DB, true),
                // 7-8 ? matches one character
                Arguments.of(policy(allow("\"secretsmanager:?etSecretValue\"", "\"*\"")), "GetSecretValue", DB, true),
                Arguments.of(policy(allow("\"secretsmanager:?SecretValue\"", "\"*\"")), "GetSecretValue", DB, false),
                // 9-12 resource patterns: prefix with suffix wildcard, case-sensitive, exact ARN
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"" + ARN + "prod/*\"")), "GetSecretValue", DB, true),
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"" + ARN + "prod/*\"")), "GetSecretValue", OTHER, false),
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"" + ARN + "PROD/*\"")), "GetSecretValue", DB, false),
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"" + ARN + "prod/db-??????\"")), "GetSecretValue", DB, true),
                // 13-16 explicit deny wins over allow, in any order
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"*\""), deny("\"secretsmanager:GetSecretValue\"", "\"" + DB + "\"")),
                        "GetSecretValue", DB, false),
                Arguments.of(policy(deny("\"secretsmanager:GetSecretValue\"", "\"" + DB + "\""), allow("\"secretsmanager:*\"", "\"*\"")),
                        "GetSecretValue", DB, false),
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"*\""), deny("\"secretsmanager:GetSecretValue\"", "\"" + DB + "\"")),
                        "GetSecretValue", OTHER, true),
                Arguments.of(policy(allow("\"secretsmanager:*\"", "\"*\""), deny("\"secretsmanager:Delete*\"", "\"*\"")),
                        "PutSecretValue", DB, true),
                // 17-18 lists of actions and resources
                Arguments.of(policy(allow("[\"secretsmanager:PutSecretValue\",\"secretsmanager:GetSecretValue\"]",
                        "[\"" + OTHER + "\",\"" + DB + "\"]")), "GetSecretValue", DB, true),
                Arguments.of(policy(allow("[\"secretsmanager:PutSecretValue\",\"secretsmanager:DescribeSecret\"]", "\"*\"")),
                        "GetSecretValue", DB, false),
                // 19-20 NotAction / NotResource
                Arguments.of(policy("{\"Effect\":\"Allow\",\"NotAction\":\"secretsmanager:Delete*\",\"Resource\":\"*\"}"),
                        "DeleteSecret", DB, false),
                Arguments.of(policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\",\"NotResource\":\"" + ARN + "prod/*\"}"),
                        "GetSecretValue", OTHER, true),
                // 21-22 a Deny with NotResource protects everything but one; "*" as action
                Arguments.of(policy(allow("\"*\"", "\"*\""), "{\"Effect\":\"Deny\",\"Action\":\"*\",\"NotResource\":\"" + DB + "\"}"),
                        "GetSecretValue", OTHER, false),
                Arguments.of(policy(allow("\"*\"", "\"*\""), "{\"Effect\":\"Deny\",\"Action\":\"*\",\"NotResource\":\"" + DB + "\"}"),
                        "GetSecretValue", DB, true),
                // 23-24 store-wide actions are checked against "*": an ARN pattern does not cover them
                Arguments.of(policy(allow("\"secretsmanager:ListSecrets\"", "\"" + ARN + "*\"")), "ListSecrets", "*", false),
                Arguments.of(policy(allow("\"secretsmanager:ListSecrets\"", "\"*\"")), "ListSecrets", "*", true),
                // 25 a single Statement object instead of a list
                Arguments.of("{\"Statement\":" + allow("\"secretsmanager:GetSecretValue\"", "\"*\"") + "}", "GetSecretValue", DB, true));
    }

    @ParameterizedTest(name = "[{index}] {1} on {2} → allowed={3}")
    @MethodSource("cases")
    void decidesAsIam(String policy, String action, String resource, boolean allowed) {
        Policy.Decision d = Policy.parse(policy, false).evaluate("secretsmanager:" + action, resource, "key", "000000000000");
        assertThat(d == Policy.Decision.ALLOW).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[]",
            "{\"Statement\":[]}",
            "{\"Version\":\"2099-01-01\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Resource\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"prod/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{}}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Principal\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotAction\":\"*\",\"Resource\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[1],\"Resource\":\"*\"}}"})
    void malformedOrUnsupported_isRefusedAtParse(String doc) {
        assertThatThrownBy(() -> Policy.parse(doc, false)).isInstanceOfSatisfying(AwsError.class,
                e -> assertThat(e.type()).isEqualTo("MalformedPolicyDocumentException"));
    }

    @ParameterizedTest(name = "principal {0} → allowed={1}")
    @MethodSource("principals")
    void resourcePolicy_matchesPrincipalByNameArnOrStar(String principal, boolean allowed) {
        Policy p = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}}", true);
        assertThat(p.evaluate("secretsmanager:GetSecretValue", DB, "app", "000000000000") == Policy.Decision.ALLOW)
                .isEqualTo(allowed);
    }

    static Stream<Arguments> principals() {
        return Stream.of(Arguments.of("\"*\"", true), Arguments.of("{\"AWS\":\"app\"}", true),
                Arguments.of("{\"AWS\":[\"x\",\"arn:aws:iam::000000000000:user/app\"]}", true),
                Arguments.of("{\"AWS\":\"arn:aws:iam::111111111111:user/app\"}", false), Arguments.of("{\"AWS\":\"other\"}", false));
    }
}
