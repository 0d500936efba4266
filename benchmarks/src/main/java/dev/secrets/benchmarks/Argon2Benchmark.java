package dev.secrets.benchmarks;

import dev.secrets.internal.crypto.Argon2;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Argon2id derivation of a {@code passphrase-env:} root key at the default cost
 * ({@code m=19 MiB, t=2, p=1}, Bouncy Castle). Paid once per process and master key; reported, no
 * target.
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
    private char[] passphrase;
    private Argon2.Params params;

    @Setup(Level.Trial)
    public void setUp() {
        passphrase = "correct horse battery staple, benchmark only".toCharArray();
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        params = new Argon2.Params(salt, Argon2.DEFAULT_MEMORY_KIB, Argon2.DEFAULT_ITERATIONS, Argon2.DEFAULT_PARALLELISM);
    }

    @Benchmark
    public byte[] deriveAtDefaultCost() {
        return Argon2.derive(passphrase, params);
    }
}
