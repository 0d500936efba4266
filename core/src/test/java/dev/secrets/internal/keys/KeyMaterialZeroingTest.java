package dev.secrets.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.WrongMasterKeyException;
import dev.secrets.internal.crypto.Argon2;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.spi.KeyRoot;
import dev.secrets.testing.InMemoryObjectStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Key material held in arrays is overwritten after use (issue #14, finding 8): each test keeps a
 * reference to an array the code under test was given or returned, and checks it is all zeros
 * afterwards. (Copies the JDK makes — {@code SecretKeySpec}, a {@code Mac}'s state — cannot be
 * reached from Java 17 and are not claimed.)
 */
class KeyMaterialZeroingTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void assertZeroed(List<byte[]> arrays) {
        assertThat(arrays).isNotEmpty();
        for (byte[] a : arrays) {
            assertThat(a).as("an array of key material after use").containsOnly(0);
        }
    }

    /** Gives the codec each local root's bytes as a new array, and remembers the arrays. */
    private static BiFunction<RootKey, Argon2.Params, byte[]> recording(List<byte[]> given) {
        return (root, kdf) -> {
            byte[] b = root.material(kdf);
            given.add(b);
            return b;
        };
    }

    private static KeyringCodec.Data oneVersion(byte[] material) {
        KeyringCodec.Data d = new KeyringCodec.Data();
        d.primary = 1;
        d.versions.put(1, new KeyringCodec.Entry(1, Instant.now(), material, null, null));
        return d;
    }

    @Test
    void localRootsBytes_areZeroedByTheCodec_afterEncodeAndDecode() {
        RootKey root = RootKey.ofBytes("default", random32());
        byte[] material = random32();
        List<byte[]> given = new ArrayList<>();

        byte[] payload = KeyringCodec.encode("store-1", "default", root, oneVersion(material.clone()), RANDOM, recording(given));
        KeyringCodec.Data decoded = KeyringCodec.decode("store-1", "default", root, payload, recording(given));

        assertThat(decoded.versions.get(1).material()).as("the keyring round-trips").isEqualTo(material);
        assertThat(given).hasSize(2);
        assertZeroed(given);
    }

    @Test
    void localRootsBytes_areZeroed_alsoWhenTheRootIsWrong() {
        byte[] payload = KeyringCodec.encode("store-1", "default", RootKey.ofBytes("default", random32()), oneVersion(random32()),
                RANDOM, (r, kdf) -> r.material(kdf));
        List<byte[]> given = new ArrayList<>();

        assertThatThrownBy(() -> KeyringCodec.decode("store-1", "default", RootKey.ofBytes("default", random32()), payload,
                recording(given))).isInstanceOf(WrongMasterKeyException.class);
        assertZeroed(given);
    }

    @Test
    void keyUnwrappedByAnHsmOrKmsRoot_isZeroedAfterTheKeyringIsDecrypted() {
        List<byte[]> unwrapped = new ArrayList<>();
        KeyRoot token = new KeyRoot() {
            private final RootKey inner = RootKey.ofBytes("default", random32());

            @Override
            public String scheme() {
                return "test-token";
            }

            @Override
            public String describe() {
                return "test-token:";
            }

            @Override
            public NewKey generate(Map<String, String> context) {
                return inner.generate(context);
            }

            @Override
            public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
                byte[] key = inner.unwrap(wrapped, context);
                unwrapped.add(key);
                return key;
            }
        };
        byte[] material = random32();
        byte[] payload = KeyringCodec.encode("store-1", "default", token, oneVersion(material.clone()), RANDOM, (r, kdf) -> null);

        KeyringCodec.Data decoded = KeyringCodec.decode("store-1", "default", token, payload, (r, kdf) -> null);

        assertThat(decoded.versions.get(1).material()).isEqualTo(material);
        assertZeroed(unwrapped);
    }

    @Test
    void decodedVersionMaterial_isZeroedByDestroy() {
        KeyringCodec.Data d = oneVersion(random32());
        byte[] held = d.versions.get(1).material();

        d.destroy();

        assertZeroed(List.of(held));
    }

    @Test
    void closingTheKeyringStore_zeroesTheCachedKeyringsMacKeys_andAClosedRootRefusesUse() {
        RootKey root = RootKey.ofBytes("default", random32());
        KeyringStore keyrings = new KeyringStore(new RecordLog(new InMemoryObjectStore(), RANDOM), name -> Optional.of(root), RANDOM,
                Clock.systemUTC());
        Keyring k = keyrings.forWrite("store-1", "default");
        byte[] macKey = k.primary().macKey(); // the array the cached keyring holds
        assertThat(macKey).isNotEqualTo(new byte[macKey.length]);

        keyrings.close();
        root.close();

        assertZeroed(List.of(macKey));
        assertThatThrownBy(() -> root.material(null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
