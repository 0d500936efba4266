package dev.secrets.s3;

import dev.secrets.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an S3 store is: the parsed form of
 * {@code s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION&pathStyle=true]}.
 *
 * <p>{@code endpoint} is set for S3-compatible servers (MinIO, Ceph, s3proxy) and left out for AWS
 * S3. {@code region} defaults to {@code us-east-1} when an endpoint is given, else to the AWS SDK's
 * region chain ({@code AWS_REGION}, {@code aws.region}, the profile). {@code pathStyle=true} puts
 * the bucket in the path instead of the host name, as most self-hosted servers need. Credentials
 * never belong in the URI: they come from the AWS SDK's default chain.
 *
 * <p>Immutable and thread-safe.
 */
public final class S3StoreLocation {
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,254}");
    private static final Pattern PREFIX_SEGMENT = Pattern.compile("[A-Za-z0-9_+=.@~-]+");
    private static final String FORM = "s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION&pathStyle=true]";

    private final String bucket;
    private final String prefix;
    private final URI endpoint;
    private final String region;
    private final boolean pathStyle;

    private S3StoreLocation(String bucket, String prefix, URI endpoint, String region, boolean pathStyle) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.endpoint = endpoint;
        this.region = region;
        this.pathStyle = pathStyle;
    }

    /** A location without endpoint or region (AWS S3, region from the SDK's chain). */
    public static S3StoreLocation of(String bucket, String prefix) {
        return parse("s3://" + bucket + (prefix == null || prefix.isEmpty() ? "" : "/" + prefix));
    }

    /**
     * Parses a store URI.
     *
     * @throws ConfigurationException when it is malformed, saying how to write it
     */
    public static S3StoreLocation parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.regionMatches(true, 0, "s3://", 0, 5)) {
            throw new ConfigurationException("store URI '" + uri + "' is not an S3 URI; write " + FORM);
        }
        String rest = uri.substring(5);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new ConfigurationException("store URI '" + redact(uri) + "' has no valid bucket name ('" + bucket + "'); write " + FORM);
        }
        if (!prefix.isEmpty()) {
            for (String segment : prefix.split("/", -1)) {
                if (!PREFIX_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                    throw new ConfigurationException("store URI '" + redact(uri) + "' has an invalid prefix '" + prefix
                            + "': use non-empty segments of A-Z a-z 0-9 _ + = . @ ~ - separated by /");
                }
            }
        }
        URI endpoint = null;
        String region = null;
        boolean pathStyle = false;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "endpoint" -> endpoint = endpoint(uri, value);
                    case "region" -> {
                        if (!value.matches("[a-z0-9-]{1,64}")) {
                            throw new ConfigurationException("store URI '" + redact(uri) + "': region '" + value + "' is not a region name such as us-east-1");
                        }
                        region = value;
                    }
                    case "pathStyle" -> {
                        String v = value.toLowerCase(Locale.ROOT);
                        if (!v.equals("true") && !v.equals("false")) {
                            throw new ConfigurationException("store URI '" + redact(uri) + "': pathStyle is '" + value + "'; write true or false");
                        }
                        pathStyle = Boolean.parseBoolean(v);
                    }
                    default -> throw new ConfigurationException("store URI '" + redact(uri) + "' has an unknown parameter '" + name
                            + "'; known: endpoint, region, pathStyle (credentials come from the AWS SDK's default chain)");
                }
            }
        }
        return new S3StoreLocation(bucket, prefix, endpoint, region, pathStyle);
    }

    private static URI endpoint(String uri, String value) {
        URI e;
        try {
            e = new URI(value);
        } catch (URISyntaxException ex) {
            throw new ConfigurationException("store URI '" + redact(uri) + "': endpoint is not a URL such as http://127.0.0.1:9000", ex);
        }
        if (e.getRawUserInfo() != null) {
            throw new ConfigurationException("store URI '" + redact(uri) + "': the endpoint must not carry credentials; "
                    + "give them through the AWS SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, or an instance role)");
        }
        String scheme = e.getScheme() == null ? "" : e.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || e.getHost() == null) {
            throw new ConfigurationException("store URI '" + redact(uri) + "': endpoint must be an http:// or https:// URL with a host, such as http://127.0.0.1:9000");
        }
        return e;
    }

    /** The URI with any user-info of an endpoint removed, for messages. */
    static String redact(String uri) {
        return uri.replaceAll("(?i)(endpoint=[a-z]+(?:%3A|:)(?:%2F|/)(?:%2F|/))[^@&/]*@", "$1***@");
    }

    public String bucket() {
        return bucket;
    }

    /** The key prefix inside the bucket, without leading or trailing {@code /}; empty for the whole bucket. */
    public String prefix() {
        return prefix;
    }

    /** The endpoint of an S3-compatible server, or null for AWS S3. */
    public URI endpoint() {
        return endpoint;
    }

    /** The region given in the URI, or null. */
    public String region() {
        return region;
    }

    public boolean pathStyle() {
        return pathStyle;
    }

    /** The store URI in its canonical form (it never contains credentials). */
    public String uri() {
        StringBuilder sb = new StringBuilder("s3://").append(bucket);
        if (!prefix.isEmpty()) {
            sb.append('/').append(prefix);
        }
        String sep = "?";
        if (endpoint != null) {
            sb.append(sep).append("endpoint=").append(endpoint);
            sep = "&";
        }
        if (region != null) {
            sb.append(sep).append("region=").append(region);
            sep = "&";
        }
        if (pathStyle) {
            sb.append(sep).append("pathStyle=true");
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof S3StoreLocation l && l.uri().equals(uri());
    }

    @Override
    public int hashCode() {
        return uri().hashCode();
    }

    @Override
    public String toString() {
        return uri();
    }
}
