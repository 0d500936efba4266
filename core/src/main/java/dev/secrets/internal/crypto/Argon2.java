package dev.secrets.internal.crypto;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (Bouncy Castle) to stretch a passphrase into a 256-bit root key.
 * Default cost is OWASP's minimum recommendation: 19 MiB, 2 iterations, 1 lane.
 */
public final class Argon2 {
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    public static final int DEFAULT_ITERATIONS = 2;
    public static final int DEFAULT_PARALLELISM = 1;
    public static final int MIN_MEMORY_KIB = 19 * 1024;
    public static final int MIN_ITERATIONS = 2;
    /**
     * Highest cost a reader accepts from a keyring header (1 GiB, 64 iterations, 16 lanes): the
     * header is in the store, and whoever can write there must not make every reader of the key run
     * out of memory ({@code m=2^31}) or hang ({@code t=2^31}).
     */
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;

    private Argon2() {
    }

    /** The cost and salt of one derivation; stored with the keyring. */
    public record Params(byte[] salt, int memoryKiB, int iterations, int parallelism) {
        public Params {
            if (salt == null || salt.length < 16) {
                throw new IllegalArgumentException("Argon2id salt must be at least 16 bytes");
            }
            if (memoryKiB < MIN_MEMORY_KIB || iterations < MIN_ITERATIONS || parallelism < 1) {
                throw new IllegalArgumentException("Argon2id cost below OWASP's minimum (m=19 MiB, t=2, p=1)");
            }
            if (memoryKiB > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("Argon2id cost m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism
                        + " is above the accepted maximum (m=1 GiB, t=64, p=16)");
            }
        }
    }

    public static byte[] derive(char[] passphrase, Params p) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(p.salt())
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] password = new byte[encoded.remaining()];
        encoded.get(password);
        byte[] out = new byte[Aead.KEY_BYTES];
        try {
            gen.generateBytes(password, out);
        } finally {
            Arrays.fill(password, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
        return out;
    }
}
