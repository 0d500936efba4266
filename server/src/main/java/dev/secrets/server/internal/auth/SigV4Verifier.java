package dev.secrets.server.internal.auth;

import dev.secrets.server.internal.api.AwsError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 …}) on a request as
 * received: rebuilds the canonical request from the method, path, query, the signed headers and
 * the SHA-256 of the body, checks the credential scope (date, region, service), the clock skew and
 * the signature (in constant time). Stateless and thread-safe.
 *
 * <p>Failures are {@link AwsError}s with AWS's own types; their messages never contain the
 * signature, the secret key or the body.
 */
public final class SigV4Verifier {
    /** Largest accepted difference between the request's date and the server's clock, as AWS. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String region;
    private final String service;
    private final Clock clock;

    public SigV4Verifier(String region, String service, Clock clock) {
        this.region = region;
        this.service = service;
        this.clock = clock;
    }

    /** What a request carries, as received. Header names are matched case-insensitively. */
    public record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return Optional.of(String.join(",", e.getValue()));
                }
            }
            return Optional.empty();
        }
    }

    /** The parsed {@code Authorization} header. */
    public record Credential(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                             String signature) {
        @Override
        public String toString() {
            return "Credential[" + accessKeyId + "/" + date + "/" + region + "/" + service + "]";
        }
    }

    /** Parses the {@code Authorization} header: who claims to sign, without checking anything yet. */
    public Credential parse(Request request) {
        String auth = request.header("Authorization").orElseThrow(() ->
                new AwsError("MissingAuthenticationTokenException", 403, "Missing Authentication Token"));
        if (!auth.startsWith(ALGORITHM + " ")) {
            throw new AwsError("IncompleteSignatureException", 400,
                    "Authorization header must use " + ALGORITHM);
        }
        Map<String, String> parts = new TreeMap<>();
        for (String p : auth.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signed = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signed == null || signature == null) {
            throw new AwsError("IncompleteSignatureException", 400,
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw new AwsError("IncompleteSignatureException", 400,
                    "Credential must have the form ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request");
        }
        return new Credential(scope[0], scope[1], scope[2], scope[3], List.of(signed.split(";")), signature);
    }

    /**
     * Checks {@code request}'s signature made with {@code secretAccessKey} for {@code credential}.
     *
     * @throws AwsError {@code InvalidSignatureException} for a wrong scope, a stale date, a changed
     *     byte or a wrong key; {@code IncompleteSignatureException} when required parts are missing
     */
    public void verify(Request request, Credential credential, String secretAccessKey) {
        String amzDate = request.header("X-Amz-Date").orElseThrow(() ->
                new AwsError("IncompleteSignatureException", 400, "The request must carry an X-Amz-Date header"));
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new AwsError("IncompleteSignatureException", 400, "X-Amz-Date is not of the form yyyyMMddTHHmmssZ");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new AwsError("InvalidSignatureException", 400, "Signature expired: " + amzDate
                    + " is not within 5 minutes of the server's time " + AMZ_DATE.format(now));
        }
        if (!amzDate.startsWith(credential.date())) {
            throw new AwsError("InvalidSignatureException", 400, "Credential should be scoped to the date of X-Amz-Date");
        }
        if (!region.equals(credential.region())) {
            throw new AwsError("InvalidSignatureException", 400,
                    "Credential should be scoped to a valid region, not '" + credential.region() + "'; this server is '" + region + "'");
        }
        if (!service.equals(credential.service())) {
            throw new AwsError("InvalidSignatureException", 400,
                    "Credential should be scoped to the correct service: '" + service + "'");
        }
        List<String> signed = credential.signedHeaders();
        if (!signed.contains("host") || !signed.contains("x-amz-date")) {
            throw new AwsError("InvalidSignatureException", 400, "The host and x-amz-date headers must be signed");
        }
        String payloadHash = HEX.formatHex(sha256(request.body()));
        Optional<String> declared = request.header("X-Amz-Content-Sha256");
        if (declared.isPresent() && !declared.get().equals(payloadHash)) {
            throw new AwsError("InvalidSignatureException", 400, "The body does not match its x-amz-content-sha256");
        }
        String canonical = canonicalRequest(request, signed, payloadHash);
        String scope = credential.date() + "/" + credential.region() + "/" + credential.service() + "/aws4_request";
        String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), credential.date());
        key = hmac(key, credential.region());
        key = hmac(key, credential.service());
        key = hmac(key, "aws4_request");
        byte[] expected = hmac(key, toSign);
        byte[] given;
        try {
            given = HEX.parseHex(credential.signature());
        } catch (IllegalArgumentException e) {
            given = new byte[0];
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw new AwsError("InvalidSignatureException", 400,
                    "The request signature we calculated does not match the signature you provided. "
                            + "Check your AWS Secret Access Key and signing method.");
        }
    }

    private static String canonicalRequest(Request r, List<String> signed, String payloadHash) {
        StringBuilder b = new StringBuilder();
        b.append(r.method()).append('\n');
        b.append(canonicalPath(r.rawPath())).append('\n');
        b.append(canonicalQuery(r.rawQuery())).append('\n');
        for (String name : signed) {
            String value = r.header(name).orElseThrow(() -> new AwsError("InvalidSignatureException", 400,
                    "The signed header '" + name + "' is not in the request"));
            b.append(name).append(':').append(value.trim().replaceAll(" +", " ")).append('\n');
        }
        b.append('\n').append(String.join(";", signed)).append('\n').append(payloadHash);
        return b.toString();
    }

    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (String seg : rawPath.split("/", -1)) {
            if (b.length() > 0 || rawPath.startsWith("/")) {
                b.append('/');
            }
            b.append(uriEncode(URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8)));
        }
        String s = b.toString();
        return s.startsWith("//") ? s.substring(1) : s;
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String p : rawQuery.split("&")) {
            int eq = p.indexOf('=');
            String k = eq < 0 ? p : p.substring(0, eq);
            String v = eq < 0 ? "" : p.substring(eq + 1);
            pairs.add(new String[] {uriEncode(URLDecoder.decode(k, StandardCharsets.UTF_8)),
                    uriEncode(URLDecoder.decode(v, StandardCharsets.UTF_8))});
        }
        pairs.sort((a, c) -> a[0].equals(c[0]) ? a[1].compareTo(c[1]) : a[0].compareTo(c[0]));
        List<String> out = new ArrayList<>();
        for (String[] p : pairs) {
            out.add(p[0] + "=" + p[1]);
        }
        return String.join("&", out);
    }

    private static String uriEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (c & 0xff);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
                b.append(ch);
            } else {
                b.append('%').append(HEX.withUpperCase().toHexDigits(c));
            }
        }
        return b.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
