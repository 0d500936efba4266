package dev.secrets.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RootKeyTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private static final String B64 = Base64.getEncoder().encodeToString(KEY);

    @TempDir
    Path dir;

    @Test
    void envKey_isBase64Of32Bytes() {
        RootKey k = RootKey.parse("default", "env:MY_KEY", Map.of("MY_KEY", " " + B64 + "\n")::get);
        assertThat(k.material(null)).isEqualTo(KEY);
        assertThat(k.isPassphrase()).isFalse();
        assertThat(k).hasToString("RootKey[env:MY_KEY]");
        assertThat(k.toString()).doesNotContain(B64);
    }

    @Test
    void envKey_errorsNameTheVariableAndTheProblem() {
        assertThatThrownBy(() -> RootKey.parse("team", "env:NOPE", Map.<String, String>of()::get))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("NOPE is not set").hasMessageContaining("'team'");
        assertThatThrownBy(() -> RootKey.parse("d", "env:K", Map.of("K", "***")::get)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("does not hold base64").hasMessageNotContaining("***");
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> RootKey.parse("d", "env:K", Map.of("K", short16)::get)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("16 bytes").hasMessageContaining("32 bytes").hasMessageNotContaining(short16);
    }

    @Test
    void fileKey_isRead_whenOnlyItsOwnerCanReadIt() throws IOException {
        Path f = Files.writeString(dir.resolve("k"), B64 + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThat(RootKey.parse("default", "file:" + f, x -> null).material(null)).isEqualTo(KEY);
        assertThat(RootKey.parse("default", "file://" + f, x -> null).material(null)).isEqualTo(KEY);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        assertThat(RootKey.parse("default", "file:" + f, x -> null).material(null)).isEqualTo(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-", "rw---x---"})
    void fileKey_readableOrWritableByGroupOrOthers_isRefused(String perms) throws IOException {
        Path f = Files.writeString(dir.resolve("k"), B64);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        assertThatThrownBy(() -> RootKey.parse("default", "file:" + f, x -> null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("group or others").hasMessageContaining("chmod 600 " + f);
    }

    @Test
    void fileKey_thatIsMissing_isNamed() {
        assertThatThrownBy(() -> RootKey.parse("default", "file:" + dir.resolve("none"), x -> null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no such file");
    }

    @Test
    void passphraseKey_isStretchedWithArgon2id_atOwaspMinimumCostOrMore() {
        RootKey k = RootKey.parse("default", "passphrase-env:PP", Map.of("PP", "correct horse battery staple")::get);
        assertThat(k.isPassphrase()).isTrue();
        assertThatThrownBy(() -> k.material(null)).isInstanceOf(IllegalStateException.class);
        byte[] salt = new byte[16];
        Argon2.Params p = new Argon2.Params(salt, Argon2.DEFAULT_MEMORY_KIB, Argon2.DEFAULT_ITERATIONS, Argon2.DEFAULT_PARALLELISM);
        byte[] a = k.material(p);
        assertThat(a).hasSize(32).isEqualTo(k.material(p));
        salt[0] = 1;
        assertThat(k.material(new Argon2.Params(salt, 19 * 1024, 2, 1))).isNotEqualTo(a);
        assertThat(Argon2.DEFAULT_MEMORY_KIB).isGreaterThanOrEqualTo(19 * 1024);
        assertThat(Argon2.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> new Argon2.Params(salt, 1024, 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OWASP");
        assertThatThrownBy(() -> new Argon2.Params(new byte[8], 19 * 1024, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passphraseKey_errors() {
        assertThatThrownBy(() -> RootKey.parse("d", "passphrase-env:PP", Map.of("PP", "too short")::get))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("shorter than 12").hasMessageNotContaining("too short");
        assertThatThrownBy(() -> RootKey.parse("d", "passphrase-env:PP", Map.<String, String>of()::get))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PP is not set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "aws-kms:xyz", "ENV:K", "no-colon", "http://x"})
    void unknownOrEmptyUris_areRefused(String uri) {
        assertThatThrownBy(() -> RootKey.parse("default", uri, x -> B64)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'default'");
    }

    @Test
    void explicitBytes_mustBe32() {
        assertThat(RootKey.ofBytes("d", KEY).material(null)).isEqualTo(KEY);
        assertThatThrownBy(() -> RootKey.ofBytes("d", new byte[31])).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("31 bytes");
    }
}
