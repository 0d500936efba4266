package dev.secrets.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.server.internal.api.AwsError;
import dev.secrets.server.testing.Signing;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Signatures made by the AWS SDK's own SigV4 signer are accepted; one changed byte of the body, the
 * date, the path, a signed header or the key is refused, and so is a stale date.
 */
class SigV4VerifierTest {
    private static final String ID = "SKIAEXAMPLEEXAMPLE22";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final URI URI_ = URI.create("http://127.0.0.1:8080/");
    private static final byte[] BODY = "{\"SecretId\":\"prod/db\"}".getBytes(StandardCharsets.UTF_8);

    private final SigV4Verifier verifier = new SigV4Verifier("us-east-1", "secretsmanager", CLOCK);

    private static Map<String, List<String>> signed() {
        return Signing.sign(URI_, "GetSecretValue", BODY, ID, SECRET, "us-east-1", CLOCK);
    }

    private void verify(String path, Map<String, List<String>> headers, byte[] body, String secret) {
        SigV4Verifier.Request r = new SigV4Verifier.Request("POST", path, null, headers, body);
        verifier.verify(r, verifier.parse(r), secret);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AwsError.class,
                e -> assertThat(e.type()).isEqualTo("InvalidSignatureException"));
    }

    private static Map<String, List<String>> with(Map<String, List<String>> h, String name, String value) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(h);
        copy.put(name, List.of(value));
        return copy;
    }

    @Test
    void signatureOfTheSdk_isAccepted() {
        assertThatCode(() -> verify("/", signed(), BODY, SECRET)).doesNotThrowAnyException();
        assertThat(verifier.parse(new SigV4Verifier.Request("POST", "/", null, signed(), BODY)).accessKeyId()).isEqualTo(ID);
    }

    @Test
    void oneChangedByteOfTheBody_isRefused() {
        byte[] b = BODY.clone();
        b[5] ^= 1;
        assertInvalid(() -> verify("/", signed(), b, SECRET));
    }

    @Test
    void changedDate_isRefused() {
        Map<String, List<String>> h = signed();
        String date = h.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("X-Amz-Date")).findFirst().get().getValue().get(0);
        String later = date.substring(0, date.length() - 2) + (date.charAt(date.length() - 2) == '0' ? "1" : "0") + "Z";
        assertInvalid(() -> verify("/", with(h, "X-Amz-Date", later), BODY, SECRET));
    }

    @Test
    void changedPath_isRefused() {
        assertInvalid(() -> verify("/x", signed(), BODY, SECRET));
    }

    @Test
    void changedSignedHeader_isRefused() {
        assertInvalid(() -> verify("/", with(signed(), "X-Amz-Target", "secretsmanager.PutSecretValue"), BODY, SECRET));
        assertInvalid(() -> verify("/", with(signed(), "Host", "127.0.0.1:8081"), BODY, SECRET));
    }

    @Test
    void changedKey_isRefused() {
        String other = (SECRET.charAt(0) == 'w' ? 'v' : 'w') + SECRET.substring(1);
        assertInvalid(() -> verify("/", signed(), BODY, other));
    }

    @Test
    void changedSignature_isRefused() {
        Map<String, List<String>> h = signed();
        String auth = h.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Authorization")).findFirst().get().getValue().get(0);
        char last = auth.charAt(auth.length() - 1);
        String altered = auth.substring(0, auth.length() - 1) + (last == '0' ? '1' : '0');
        assertInvalid(() -> verify("/", with(h, "Authorization", altered), BODY, SECRET));
    }

    @Test
    void staleOrFutureDate_beyondFiveMinutes_isRefused_withinIsAccepted() {
        for (Duration d : List.of(Duration.ofMinutes(-6), Duration.ofMinutes(6))) {
            Clock signerClock = Clock.offset(CLOCK, d);
            Map<String, List<String>> h = Signing.sign(URI_, "GetSecretValue", BODY, ID, SECRET, "us-east-1", signerClock);
            assertInvalid(() -> verify("/", h, BODY, SECRET));
        }
        Map<String, List<String>> ok = Signing.sign(URI_, "GetSecretValue", BODY, ID, SECRET, "us-east-1",
                Clock.offset(CLOCK, Duration.ofMinutes(-4)));
        assertThatCode(() -> verify("/", ok, BODY, SECRET)).doesNotThrowAnyException();
    }

    @Test
    void otherRegionInTheScope_isRefused() {
        Map<String, List<String>> h = Signing.sign(URI_, "GetSecretValue", BODY, ID, SECRET, "eu-west-1", CLOCK);
        assertInvalid(() -> verify("/", h, BODY, SECRET));
    }

    @Test
    void queryString_isPartOfTheSignature() {
        URI withQuery = URI.create("http://127.0.0.1:8080/?b=2&a=x%20y");
        Map<String, List<String>> h = Signing.sign(withQuery, "GetSecretValue", BODY, ID, SECRET, "us-east-1", CLOCK);
        SigV4Verifier.Request ok = new SigV4Verifier.Request("POST", "/", "b=2&a=x%20y", h, BODY);
        assertThatCode(() -> verifier.verify(ok, verifier.parse(ok), SECRET)).doesNotThrowAnyException();
        SigV4Verifier.Request changed = new SigV4Verifier.Request("POST", "/", "b=3&a=x%20y", h, BODY);
        assertInvalid(() -> verifier.verify(changed, verifier.parse(changed), SECRET));
    }

    @Test
    void missingOrForeignAuthorization_isRefusedWithAwsTypes() {
        Map<String, List<String>> none = new HashMap<>(signed());
        none.keySet().removeIf(k -> k.equalsIgnoreCase("Authorization"));
        assertThatThrownBy(() -> verifier.parse(new SigV4Verifier.Request("POST", "/", null, none, BODY)))
                .isInstanceOfSatisfying(AwsError.class, e -> {
                    assertThat(e.type()).isEqualTo("MissingAuthenticationTokenException");
                    assertThat(e.status()).isEqualTo(403);
                });
        Map<String, List<String>> basic = with(signed(), "Authorization", "Basic dXNlcjpwYXNz");
        assertThatThrownBy(() -> verifier.parse(new SigV4Verifier.Request("POST", "/", null, basic, BODY)))
                .isInstanceOfSatisfying(AwsError.class, e -> assertThat(e.type()).isEqualTo("IncompleteSignatureException"));
    }

    @Test
    void errorMessages_neverContainTheSignatureOrKey() {
        Map<String, List<String>> h = signed();
        String auth = h.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Authorization")).findFirst().get().getValue().get(0);
        String sig = auth.substring(auth.indexOf("Signature=") + 10);
        assertThatThrownBy(() -> verify("/", h, BODY, "wrong")).satisfies(e -> {
            assertThat(e.getMessage()).doesNotContain(sig).doesNotContain(SECRET).doesNotContain("prod/db");
        });
    }
}
