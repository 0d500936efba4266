package dev.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.StoreUnavailableException;
import dev.secrets.VersionDescription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Hammers one secret of one store: several clients (each its own store instance, as separate
 * processes would have), each with writer threads putting new versions and reader threads reading the
 * secret from the store (bypassing the cache) and describing it, all at once. Every acknowledged
 * write compacts the secret's record log (older generations deleted), so readers and writers list the
 * log while generations appear and vanish.
 *
 * <p>What a user checks: no operation ever says the secret is missing (it exists throughout), every
 * other failure is a declared, retryable one — {@link ConflictException}, or
 * {@link StoreUnavailableException} when a store runs without retries — after which a put is retried
 * with its idempotency token (they are counted and reported), and afterwards every acknowledged
 * version is there exactly once with its value.
 * Used by the backends' tests on their real stores.
 */
public final class OneSecretHammer {
    public static final String SECRET = "hammer/one";
    private static final int MAX_CONFLICTS = 200;

    private final Supplier<SecretsClient> clients;
    private int clientCount = 3;
    private int writersPerClient = 2;
    private int putsPerWriter = 15;
    private int readersPerClient = 2;

    public OneSecretHammer(Supplier<SecretsClient> clients) {
        this.clients = clients;
    }

    /** Clients, writers per client and puts per writer (at most 99 puts in all: a secret keeps 100 versions), readers per client. */
    public OneSecretHammer shape(int clients, int writers, int puts, int readers) {
        if (clients * writers * puts > 99) {
            throw new IllegalArgumentException("at most 99 puts: older versions would be pruned");
        }
        this.clientCount = clients;
        this.writersPerClient = writers;
        this.putsPerWriter = puts;
        this.readersPerClient = readers;
        return this;
    }

    /** Runs the hammer and asserts; returns a line saying what happened, for the test's output. */
    public String run() throws Exception {
        List<SecretsClient> opened = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            SecretsClient admin = clients.get();
            opened.add(admin);
            CreateSecretRequest create = CreateSecretRequest.of(SECRET, SecretKind.GENERIC, SecretValue.ofText("v0")).withToken("v0");
            AtomicInteger unavailable = new AtomicInteger();
            for (int attempt = 0; ; attempt++) {
                try {
                    admin.createSecret(create);
                    break;
                } catch (StoreUnavailableException e) {
                    unavailable.incrementAndGet();
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
            Map<String, String> acked = new ConcurrentHashMap<>(); // version ID -> value
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger conflicts = new AtomicInteger();
            AtomicInteger reads = new AtomicInteger();
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            List<Future<?>> readers = new ArrayList<>();
            for (int c = 0; c < clientCount; c++) {
                SecretsClient client = clients.get();
                opened.add(client);
                for (int w = 0; w < writersPerClient; w++) {
                    String writer = "c" + c + "w" + w;
                    writers.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < putsPerWriter; i++) {
                            String value = writer + "-" + i;
                            PutSecretValueRequest put = PutSecretValueRequest.of(SECRET, SecretValue.ofText(value)).withToken(value);
                            for (int attempt = 0; ; attempt++) {
                                try {
                                    acked.put(client.putSecretValue(put), value);
                                    break;
                                } catch (ConflictException | StoreUnavailableException e) {
                                    (e instanceof ConflictException ? conflicts : unavailable).incrementAndGet();
                                    if (attempt == MAX_CONFLICTS) {
                                        failures.add("put " + value + ": " + e);
                                        break;
                                    }
                                } catch (RuntimeException e) {
                                    failures.add("put " + value + ": " + e);
                                    break;
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < readersPerClient; r++) {
                    boolean describe = r % 2 == 1;
                    readers.add(pool.submit(() -> {
                        start.await();
                        while (writing.get()) {
                            try {
                                if (describe) {
                                    client.describeSecret(SECRET);
                                } else {
                                    client.getSecretValue(GetSecretValueRequest.of(SECRET).bypassingCache());
                                }
                                reads.incrementAndGet();
                            } catch (StoreUnavailableException e) {
                                unavailable.incrementAndGet();
                            } catch (RuntimeException e) {
                                failures.add((describe ? "describe: " : "read: ") + e);
                            }
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            try {
                for (Future<?> f : writers) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                writing.set(false);
            }
            for (Future<?> f : readers) {
                f.get(1, TimeUnit.MINUTES);
            }

            assertThat(failures).as("operations that failed (a SecretNotFoundException here says a listing taken "
                    + "mid-compaction was read as 'no secret')").isEmpty();
            SecretDescription d = admin.describeSecret(SECRET);
            Map<String, VersionDescription> byId = new HashMap<>();
            for (VersionDescription v : d.versions()) {
                assertThat(byId.put(v.versionId(), v)).as("version listed once: %s", v.versionId()).isNull();
            }
            int puts = clientCount * writersPerClient * putsPerWriter;
            assertThat(acked).as("acknowledged puts").hasSize(puts);
            for (Map.Entry<String, String> a : acked.entrySet()) {
                assertThat(byId).as("acknowledged version %s (%s)", a.getKey(), a.getValue()).containsKey(a.getKey());
                assertThat(admin.getSecretValue(GetSecretValueRequest.of(SECRET).withVersionId(a.getKey())).text()).isEqualTo(a.getValue());
            }
            assertThat(d.versions()).hasSize(puts + 1);
            return "puts: " + puts + ", conflicts retried: " + conflicts + ", store unavailable (retried or counted): " + unavailable
                    + ", reads during the puts: " + reads;
        } finally {
            pool.shutdownNow();
            for (SecretsClient c : opened) {
                c.close();
            }
        }
    }
}
