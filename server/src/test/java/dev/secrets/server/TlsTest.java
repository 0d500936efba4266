package dev.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConfigurationException;
import dev.secrets.server.testing.ServerFixture;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** HTTPS from PEM files in the forms openssl writes, with the unchanged SDK; plain HTTP only on loopback unless allowed. */
class TlsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RSA-PKCS1", "EC-SEC1", "EC-PKCS8"})
    void httpsFromPem_servesTheSdk(String form) throws Exception {
        boolean rsa = form.startsWith("RSA");
        KeyPairGenerator g = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
        g.initialize(rsa ? 2048 : 256);
        KeyPair kp = g.generateKeyPair();
        X509Certificate cert = selfSigned(kp, rsa ? "SHA256withRSA" : "SHA256withECDSA");
        Path certFile = dir.resolve("tls.crt");
        Path keyFile = dir.resolve("tls.key");
        try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(cert);
        }
        try (Writer w = Files.newBufferedWriter(keyFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            if (form.endsWith("PKCS8")) {
                pem.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
            } else if (rsa) {
                pem.writeObject(kp); // PKCS#1 "RSA PRIVATE KEY"
            } else {
                pem.writeObject(sec1(kp)); // SEC1 "EC PRIVATE KEY" with its curve and public key, as openssl ecparam -genkey writes
            }
        }
        assertThat(Files.readString(keyFile)).contains(form.equals("RSA-PKCS1") ? "BEGIN RSA PRIVATE KEY"
                : form.equals("EC-SEC1") ? "BEGIN EC PRIVATE KEY" : "BEGIN PRIVATE KEY");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        TrustManager[] tms = tmf.getTrustManagers();
        ServerConfig config = ServerConfig.builder().port(0).tlsCert(certFile).tlsKey(keyFile).build();
        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"), config, tms)) {
            assertThat(fx.endpoint().getScheme()).isEqualTo("https");
            SecretsManagerClient sm = fx.sdk(fx.admin);
            sm.createSecret(b -> b.name("tls/one").secretString("over-tls"));
            assertThat(sm.getSecretValue(b -> b.secretId("tls/one")).secretString()).isEqualTo("over-tls");
        }
    }

    private static org.bouncycastle.util.io.pem.PemObject sec1(KeyPair kp) throws Exception {
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo pki = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(kp.getPrivate().getEncoded());
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki =
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey key = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                ((java.security.interfaces.ECPrivateKey) kp.getPrivate()).getS(), spki.getPublicKeyData(),
                pki.getPrivateKeyAlgorithm().getParameters());
        return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", key.getEncoded());
    }

    private static X509Certificate selfSigned(KeyPair kp, String alg) throws Exception {
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(kp.getPrivate())));
    }

    @Test
    void plainHttp_onANonLoopbackAddress_isRefusedUnlessAllowed() {
        assertThatThrownBy(() -> ServerConfig.builder().address("0.0.0.0").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("insecure-http");
        assertThat(ServerConfig.builder().address("0.0.0.0").insecureHttp(true).build().port()).isEqualTo(8080);
        assertThat(ServerConfig.builder().build().port()).isEqualTo(8080);
        assertThat(ServerConfig.builder().tlsCert(Path.of("c")).tlsKey(Path.of("k")).build().port()).isEqualTo(8443);
        assertThatThrownBy(() -> ServerConfig.builder().tlsCert(Path.of("c")).build()).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> ServerConfig.builder().account("12").build()).isInstanceOf(ConfigurationException.class);
    }
}
