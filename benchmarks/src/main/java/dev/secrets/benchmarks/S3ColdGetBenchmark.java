package dev.secrets.benchmarks;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.s3.S3StoreLocation;
import dev.secrets.s3.testing.RequestCounter;
import dev.secrets.s3.testing.S3ProxyServer;
import java.util.Locale;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A cold read from the S3 store on the embedded s3proxy server (in-memory blob store, HTTP on
 * loopback): {@code client.refresh(id)} — one {@code ListObjectsV2} for the secret's generations,
 * one {@code GetObject} of the newest, then MAC check and decryption — against one bare
 * {@code GetObject} of an object of the same size (a copy of the record) with an SDK client of the
 * same kind (URL-connection HTTP client, same server, same credentials). The requests each cold
 * read sends are counted by an SDK interceptor and printed after each iteration.
 *
 * <p>Target: {@code secrets} ≤ 1.5 × {@code bareGet}; 2 requests per cold read (list and get; the GET's ETag equal to the listed one).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar S3ColdGetBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class S3ColdGetBenchmark {
    private static final String ID = "bench/app-db";
    private static final String BARE_KEY = "bare/object";

    /** {@code secrets}: a cold read through the client; {@code bareGet}: one GET of the same number of bytes. */
    @Param({"secrets", "bareGet"})
    public String variant;

    private boolean ours;
    private SecretsClient client;
    private RequestCounter counter;
    private S3Client s3;
    private String bucket;
    private long ops;

    @Setup(Level.Trial)
    public void setUp() {
        ours = variant.equals("secrets");
        S3ProxyServer server = S3ProxyServer.shared();
        String uri = server.newStoreUri();
        bucket = S3StoreLocation.parse(uri).bucket();
        s3 = server.admin();
        try (SecretsClient writer = Fixtures.client(server.storeBuilder(uri).build())) {
            writer.createSecret(CreateSecretRequest.of(ID, SecretKind.DATABASE, SecretValue.ofFields(Map.of(
                    "username", "app", "password", "benchmark-password", "engine", "postgres", "host", "db.internal", "port", 5432))));
        }
        S3Object record = s3.listObjectsV2(b -> b.bucket(bucket).prefix("secrets/" + ID + "/~")).contents().get(0);
        byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(record.key())).asByteArray();
        s3.putObject(b -> b.bucket(bucket).key(BARE_KEY), software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));

        counter = new RequestCounter();
        client = Fixtures.client(server.storeBuilder(uri).addInterceptor(counter).build());
        client.refresh(ID); // once per process: store identity and keyring; once a day: the access marker
        counter.reset();
        client.refresh(ID);
        System.out.printf(Locale.ROOT, "%n[setup] record object %d bytes; requests of one cold read: %s%n", bytes.length, counter);
        counter.reset();
    }

    @TearDown(Level.Iteration)
    public void report() {
        if (ours && ops > 0) {
            System.out.printf(Locale.ROOT, "[requests] %.2f per cold read (%s over %d reads)%n", (double) counter.total() / ops,
                    counter, ops);
        }
        counter.reset();
        ops = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public Object coldGet() {
        ops++;
        if (ours) {
            return client.refresh(ID);
        }
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(BARE_KEY));
        return r.asByteArray();
    }
}
