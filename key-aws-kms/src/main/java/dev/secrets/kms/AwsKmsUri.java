package dev.secrets.kms;

import dev.secrets.ConfigurationException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code aws-kms:} key URI: {@code aws-kms:arn:aws:kms:REGION:ACCOUNT:key/ID} or
 * {@code …:alias/NAME}, optionally {@code ?endpoint=URL} (a VPC endpoint, an emulator).
 *
 * @param arn      the key or alias ARN
 * @param region   the region named in the ARN
 * @param endpoint the endpoint override, or {@code null}
 */
record AwsKmsUri(String arn, String region, URI endpoint) {
    private static final Pattern ARN = Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)");

    static AwsKmsUri parse(String keyName, String uri) {
        String rest = uri.substring("aws-kms:".length());
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Matcher m = ARN.matcher(rest);
        if (!m.matches()) {
            throw new ConfigurationException("master key '" + keyName + "': '" + rest + "' is not a KMS key or alias ARN; write "
                    + "aws-kms:arn:aws:kms:REGION:ACCOUNT:key/ID or aws-kms:arn:aws:kms:REGION:ACCOUNT:alias/NAME");
        }
        URI endpoint = null;
        if (query != null) {
            if (!query.startsWith("endpoint=") || query.contains("&")) {
                throw new ConfigurationException("master key '" + keyName + "': an aws-kms: URI takes one parameter, endpoint=URL");
            }
            try {
                endpoint = URI.create(query.substring("endpoint=".length()));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("master key '" + keyName + "': endpoint is not a URL");
            }
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new ConfigurationException("master key '" + keyName + "': endpoint must be an absolute URL (https://…)");
            }
        }
        return new AwsKmsUri(rest, m.group(2), endpoint);
    }
}
