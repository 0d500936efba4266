package dev.secrets.benchmarks;

import dev.secrets.internal.crypto.Argon2;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id derivation of a {@code passphrase-env:} root key at the default cost
 * ({@code m=19 MiB, t=2, p=1}, Bouncy Castle). Paid once per process and master key.
 * {@code secrets}: {@code Argon2.derive} (builds the parameters, encodes the passphrase as UTF-8,
 * wipes the copies); {@code bouncyCastle}: the bare {@code Argon2BytesGenerator} call with the same
 * parameters on the same bytes, its 32-byte output — the floor.
 *
 * <p>Target: {@code secrets} ≤ 1.05 × {@code bouncyCastle} (the derivation is all of it).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Argon2Benchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class Argon2Benchmark {
    /** {@code secrets}: our call; {@code bouncyCastle}: the bare library call. */
    @Param({"secrets", "bouncyCastle"})
    public String variant;

    private char[] passphrase;
    private byte[] passphraseBytes;
    private Argon2.Params params;
    private Argon2Parameters bcParams;

    @Setup(Level.Trial)
    public void setUp() {
        passphrase = "correct horse battery staple, benchmark only".toCharArray();
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        params = new Argon2.Params(salt, Argon2.DEFAULT_MEMORY_KIB, Argon2.DEFAULT_ITERATIONS, Argon2.DEFAULT_PARALLELISM);
        passphraseBytes = new String(passphrase).getBytes(StandardCharsets.UTF_8);
        bcParams = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(Argon2.DEFAULT_MEMORY_KIB).withIterations(Argon2.DEFAULT_ITERATIONS)
                .withParallelism(Argon2.DEFAULT_PARALLELISM).build();
        if (!java.util.Arrays.equals(Argon2.derive(passphrase, params), bare())) {
            throw new IllegalStateException("the baseline must compute the very same key");
        }
    }

    @Benchmark
    public byte[] deriveAtDefaultCost() {
        return variant.equals("secrets") ? Argon2.derive(passphrase, params) : bare();
    }

    private byte[] bare() {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(bcParams);
        byte[] out = new byte[32];
        gen.generateBytes(passphraseBytes, out);
        return out;
    }
}
