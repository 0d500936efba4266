package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConfigurationException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class S3StoreLocationTest {
    @Test
    void bucketAlone_isTheWholeBucketOnAwsS3() {
        S3StoreLocation l = S3StoreLocation.parse("s3://my-secrets");
        assertThat(l.bucket()).isEqualTo("my-secrets");
        assertThat(l.prefix()).isEmpty();
        assertThat(l.endpoint()).isNull();
        assertThat(l.region()).isNull();
        assertThat(l.pathStyle()).isFalse();
    }

    @Test
    void everyPart_isParsed() {
        S3StoreLocation l = S3StoreLocation.parse("s3://bucket.one/team/app/?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1&pathStyle=true");
        assertThat(l.bucket()).isEqualTo("bucket.one");
        assertThat(l.prefix()).isEqualTo("team/app");
        assertThat(l.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(l.region()).isEqualTo("eu-west-1");
        assertThat(l.pathStyle()).isTrue();
        assertThat(l.uri()).isEqualTo("s3://bucket.one/team/app?endpoint=http://127.0.0.1:9000&region=eu-west-1&pathStyle=true");
    }

    @Test
    void anUnencodedEndpoint_isAccepted() {
        assertThat(S3StoreLocation.parse("s3://b1/p?endpoint=https://minio.internal:9000&pathStyle=true").endpoint())
                .isEqualTo(URI.create("https://minio.internal:9000"));
    }

    @Test
    void malformedUris_areRefused_sayingHowToWriteThem() {
        assertThatThrownBy(() -> S3StoreLocation.parse("s3://")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("s3://BUCKET[/PREFIX]");
        assertThatThrownBy(() -> S3StoreLocation.parse("file:/tmp")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> S3StoreLocation.parse("s3://b1/a//b")).isInstanceOf(ConfigurationException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> S3StoreLocation.parse("s3://b1/../x")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> S3StoreLocation.parse("s3://b1?pathStyle=yes")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> S3StoreLocation.parse("s3://b1?endpoint=ftp://x")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> S3StoreLocation.parse("s3://b1?bucket=x")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter 'bucket'").hasMessageContaining("default chain");
    }

    @Test
    void credentialsInTheEndpoint_areRefused_withoutEchoingThem() {
        assertThatThrownBy(() -> S3StoreLocation.parse("s3://b1?endpoint=http://AKIAX:canary-secret@127.0.0.1:9000"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("must not carry credentials")
                .hasMessageNotContaining("canary-secret");
    }

    @Test
    void sameUri_isEqual() {
        assertThat(S3StoreLocation.parse("s3://b1/p/")).isEqualTo(S3StoreLocation.of("b1", "p"));
        assertThat(S3StoreLocation.parse("s3://b1/p").toString()).isEqualTo("s3://b1/p");
    }
}
