package dev.secrets.server.testing;

import dev.secrets.testing.IsolatedConfig;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.secrets.SecretsClient;
import dev.secrets.server.SecretsServer;
import dev.secrets.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * A server in a JVM of its own, for {@link ServerProcess}: the same {@link SecretsServer} that
 * {@code secrets serve} starts, over the store given, with the test master key. Prints
 * {@code listening URL} on standard output, then obeys lines on standard input: {@code heap} prints
 * {@code heap PEAK MAX GC} (the most heap used at any time so far, measured just before each
 * collection and now; the {@code -Xmx} bound; the collectors), {@code stop} stops it as SIGTERM
 * would and exits.
 *
 * <p>Arguments: store URI, value-cache TTL (ISO-8601), value-cache size.
 */
public final class ServerMain {
    private static final AtomicLong PEAK = new AtomicLong();

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        watchHeap();
        SecretsClient client = SecretsClient.builder().config(IsolatedConfig.get()).store(args[0])
                .masterKey("default", ServerFixture.masterKey()).cacheTtl(Duration.parse(args[1]))
                .cacheMaxSize(Integer.parseInt(args[2])).principal("secrets-serve").build();
        SecretsServer server = SecretsServer.start(client, ServerConfig.builder().port(0).build());
        System.out.println("listening " + server.endpoint());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("heap")) {
                PEAK.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining("+")).replace(' ', '_');
                System.out.println("heap " + PEAK.get() + " " + Runtime.getRuntime().maxMemory() + " " + gcs);
                System.out.flush();
            } else if (line.equals("stop")) {
                break;
            }
        }
        server.close();
        client.close();
        System.out.println("stopped");
        System.out.flush();
    }

    /** Heap use peaks just before a collection: record the sum over the heap's pools then. */
    private static void watchHeap() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                        if (heapPools.contains(e.getKey())) {
                            used += e.getValue().getUsed();
                        }
                    }
                    PEAK.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
    }
}
