package dev.secrets.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.server.AccessKeys;
import dev.secrets.server.testing.ServerFixture;
import dev.secrets.server.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue #21, load: 64 concurrent clients, each its own unchanged AWS SDK for Java v2
 * {@code SecretsManagerClient}, for 60 s against one server in a JVM of its own with a bounded heap
 * ({@code -Xmx256m}) on the file store (what a single machine runs), on whatever cores this machine
 * has: 90 % GetSecretValue (half on 8 hot secrets, half over 500 cold ones against a value cache of
 * 50), 10 % PutSecretValue. Asserts no failed request, every acknowledged write readable by its
 * version ID afterwards, and the server's peak heap within its bound; prints throughput, p99 and
 * the peak. No timing is asserted but a bound far from any expected value (p99 under 30 s, the SDK's
 * default read timeout).
 */
class LoadTest {
    static final int CLIENTS = 64;
    static final int HOT = 8;
    static final int COLD = 500;
    static final int CACHE = 50;
    static final String HEAP = "-Xmx256m";

    @TempDir
    Path dir;

    @Test
    void sixtyFourClients_sixtySeconds_noErrors_noLostWrites_boundedHeap() throws Exception {
        String store = "file:" + dir.resolve("store");
        MixedLoad.seed(store, HOT, COLD);
        AccessKeys.Pair admin = ServerProcess.createKey(store, "load", ServerFixture.ALLOW_ALL);
        List<SecretsManagerClient> clients = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(store, Duration.ofHours(1), CACHE, HEAP)) {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(ServerFixture.sdk(server.endpoint(), admin));
            }
            String loadBefore = MixedLoad.loadAverage();
            MixedLoad.Result r = MixedLoad.run(CLIENTS, clients::get, HOT, COLD, Duration.ofSeconds(60), 21);
            String loadAfter = MixedLoad.loadAverage();
            ServerProcess.Heap heap = server.heap();
            String serverSide = MixedLoad.serverLatency(server.endpoint());
            List<String> lost = MixedLoad.unreadable(r.acks, 16, clients::get);
            System.out.printf("LoadTest: %d clients, file store, server %s (%s), %d cores: %s; server heap peak %.1f MiB of %.1f MiB; "
                    + "server-side latency of its last 4096 requests (µs) %s; load average before %s, after %s%n", CLIENTS, HEAP, heap.collectors(),
                    Runtime.getRuntime().availableProcessors(), r.summary(), heap.peakUsed() / 1048576.0,
                    heap.max() / 1048576.0, serverSide, loadBefore, loadAfter);

            assertThat(r.failures).as("failed requests").isEmpty();
            assertThat(r.acks).as("acknowledged writes").isNotEmpty();
            assertThat(lost).as("acknowledged writes not readable by their version ID").isEmpty();
            assertThat(r.requests()).isGreaterThan(CLIENTS);
            assertThat(MixedLoad.Result.percentileMillis(r.latencies, 99)).as("p99 in ms (a bound far from expected)")
                    .isLessThan(30_000);
            assertThat(heap.max()).isLessThanOrEqualTo(256L * 1024 * 1024);
            assertThat(heap.peakUsed()).isPositive().isLessThanOrEqualTo(heap.max());
        } finally {
            clients.forEach(SecretsManagerClient::close);
        }
    }
}
