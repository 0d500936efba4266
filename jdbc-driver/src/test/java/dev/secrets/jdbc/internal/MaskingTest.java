package dev.secrets.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {
    @Test
    void passwordParameters_areMasked() {
        assertThat(Masking.url("jdbc:postgresql://h/db?user=a&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=****&ssl=true");
        assertThat(Masking.url("jdbc:sqlserver://h;user=a;Password=s3cr3t;db=x")).isEqualTo("jdbc:sqlserver://h;user=a;Password=****;db=x");
        assertThat(Masking.url("jdbc:mysql://h/db?pwd=s3cr3t")).isEqualTo("jdbc:mysql://h/db?pwd=****");
    }

    @Test
    void keyAndTrustStorePasswords_andTheSslKeyPassword_areMasked() {
        assertThat(Masking.url("jdbc:postgresql://h/db?sslmode=verify-full&sslpassword=k3y&sslkey=/k.p12"))
                .isEqualTo("jdbc:postgresql://h/db?sslmode=verify-full&sslpassword=****&sslkey=/k.p12");
        assertThat(Masking.url("jdbc:sqlserver://h;trustStorePassword=t1;keyStorePassword=k2;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://h;trustStorePassword=****;keyStorePassword=****;encrypt=true");
        assertThat(Masking.url("jdbc:mysql://h/db?clientCertificateKeyStorePassword=c3&secretId=prod/db"))
                .isEqualTo("jdbc:mysql://h/db?clientCertificateKeyStorePassword=****&secretId=prod/db");
    }

    @Test
    void userInfoPasswords_areMasked() {
        assertThat(Masking.url("jdbc:mysql://app:s3cr3t@h:3306/db")).isEqualTo("jdbc:mysql://app:****@h:3306/db");
        assertThat(Masking.url("jdbc:oracle:thin:scott/tiger@h:1521/XE")).isEqualTo("jdbc:oracle:thin:scott/****@h:1521/XE");
    }

    @Test
    void urlsWithoutPasswords_areUnchanged() {
        assertThat(Masking.url("jdbc:postgresql://127.0.0.1:5432/app")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/app");
        assertThat(Masking.url("jdbc:oracle:thin:@//h:1521/XE")).isEqualTo("jdbc:oracle:thin:@//h:1521/XE");
        assertThat(Masking.url(null)).isNull();
    }
}
