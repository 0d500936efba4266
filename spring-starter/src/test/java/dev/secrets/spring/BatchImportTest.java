package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.file.FileObjectStore;
import dev.secrets.testing.InstrumentedObjectStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The IDs of one {@code secrets:a;b;c…} import are read in one batch: the store is listed once for
 * all of them (twice on the file store, which gives no ETags), not once or twice per secret; the
 * watcher's poll does the same.
 */
class BatchImportTest {
    @TempDir
    Path tmp;
    FileStore store;

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
        for (String id : List.of("a", "b", "c", "d", "e")) {
            store.text("prod/" + id, "value-" + id);
        }
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void severalIdsOfOneImport_costOneListingOfTheStore_notOnePerSecret() {
        FileObjectStore files = new FileObjectStore(store.dir);
        InstrumentedObjectStore counted = new InstrumentedObjectStore(files);
        try (ConfigurableApplicationContext ctx = FileStore.builder(ReloadApplication.class)
                .addBootstrapRegistryInitializer(r -> r.register(SecretsClientCustomizer.class,
                        InstanceSupplier.of(b -> b.store(counted))))
                .run(store.args("--spring.config.import=secrets:prod/a;prod/b;prod/c;prod/d;prod/e", "--secrets.reload.strategy=event",
                        "--secrets.reload.period=1h"))) {
            for (String id : List.of("a", "b", "c", "d", "e")) {
                assertThat(ctx.getEnvironment().getProperty(id)).isEqualTo("value-" + id);
            }
            // One listing of the common prefix, and the file store's second listing that proves the objects
            // got are the ones listed; one at a time, each secret would take two listings of its own (10).
            assertThat(recordListings(counted)).containsExactly("secrets/prod/", "secrets/prod/");

            counted.resetCounts();
            assertThat(ctx.getBean(SecretsWatcher.class).poll()).isZero();
            assertThat(recordListings(counted)).containsExactly("secrets/prod/", "secrets/prod/");
        } finally {
            files.close();
        }
    }

    private static List<String> recordListings(InstrumentedObjectStore s) {
        return s.listedPrefixes().stream().filter(p -> p.startsWith("secrets/")).toList();
    }
}
