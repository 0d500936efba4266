package dev.secrets.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.SecretValue;
import dev.secrets.ValueType;
import dev.secrets.internal.crypto.Aead;
import dev.secrets.internal.crypto.Keyring;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private final SecureRandom random = new SecureRandom();
    private final Keyring.Version k1 = version(1, 1);
    private final Keyring.Version k2 = version(2, 2);

    private static Keyring.Version version(int n, int seed) {
        byte[] m = new byte[32];
        Arrays.fill(m, (byte) seed);
        return new Keyring.Version(n, Instant.EPOCH, m);
    }

    private VersionEntry sealed(String secret, String version, SecretValue value) {
        VersionEntry v = new VersionEntry();
        v.id = version;
        Envelope.seal(v, "store-1", secret, k1, value, random);
        return v;
    }

    @Test
    void aSealedValue_opensWithTheSameStoreSecretVersionAndKey() {
        VersionEntry v = sealed("a", "v1", SecretValue.ofText("hello"));
        assertThat(Envelope.open(v, "store-1", "a", k1)).isEqualTo(SecretValue.ofText("hello"));
        assertThat(v.keyVersion).isEqualTo(1);
        assertThat(v.nonce).hasSize(12);
        assertThat(v.wrappedKey).hasSize(12 + 32 + 16);
        assertThat(v.ciphertext).hasSize(5 + 16);
    }

    @Test
    void aCiphertextMovedToAnotherSecretVersionOrStore_failsAuthentication() {
        VersionEntry v = sealed("a", "v1", SecretValue.ofText("hello"));
        assertThatThrownBy(() -> Envelope.open(v, "store-1", "b", k1)).isInstanceOf(Aead.DecryptionFailedException.class);
        assertThatThrownBy(() -> Envelope.open(v, "store-2", "a", k1)).isInstanceOf(Aead.DecryptionFailedException.class);
        assertThatThrownBy(() -> Envelope.open(v, "store-1", "a", k2)).isInstanceOf(Aead.DecryptionFailedException.class);
        v.id = "v2";
        assertThatThrownBy(() -> Envelope.open(v, "store-1", "a", k1)).isInstanceOf(Aead.DecryptionFailedException.class);
        v.id = "v1";
        v.type = ValueType.BINARY;
        assertThatThrownBy(() -> Envelope.open(v, "store-1", "a", k1)).isInstanceOf(Aead.DecryptionFailedException.class);
    }

    @Test
    void swappingTheValuesOfTwoSecrets_failsAuthentication() {
        VersionEntry a = sealed("a", "v1", SecretValue.ofText("value of a"));
        VersionEntry b = sealed("b", "v1", SecretValue.ofText("value of b"));
        byte[] ct = a.ciphertext;
        a.ciphertext = b.ciphertext;
        b.ciphertext = ct;
        assertThatThrownBy(() -> Envelope.open(a, "store-1", "a", k1)).isInstanceOf(Aead.DecryptionFailedException.class);
        byte[] wk = a.wrappedKey;
        a.wrappedKey = b.wrappedKey;
        b.wrappedKey = wk;
        assertThatThrownBy(() -> Envelope.open(b, "store-1", "b", k1)).isInstanceOf(Aead.DecryptionFailedException.class);
    }

    @Test
    void everySeal_usesAFreshNonceAndDataKey() {
        SecretValue same = SecretValue.ofText("same");
        VersionEntry x = sealed("a", "v1", same);
        VersionEntry y = sealed("a", "v1", same);
        assertThat(x.nonce).isNotEqualTo(y.nonce);
        assertThat(x.ciphertext).isNotEqualTo(y.ciphertext);
        assertThat(Arrays.copyOf(x.wrappedKey, 12)).isNotEqualTo(Arrays.copyOf(y.wrappedKey, 12));
    }

    @Test
    void rewrap_changesOnlyTheWrappedKey() {
        VersionEntry v = sealed("a", "v1", SecretValue.ofText("hello"));
        byte[] ct = v.ciphertext.clone();
        byte[] nonce = v.nonce.clone();

        Envelope.rewrap(v, "store-1", "a", k1, k2, random);

        assertThat(v.keyVersion).isEqualTo(2);
        assertThat(v.ciphertext).isEqualTo(ct);
        assertThat(v.nonce).isEqualTo(nonce);
        assertThat(Envelope.open(v, "store-1", "a", k2).text()).isEqualTo("hello");
        assertThatThrownBy(() -> Envelope.open(v, "store-1", "a", k1)).isInstanceOf(Aead.DecryptionFailedException.class);
    }
}
