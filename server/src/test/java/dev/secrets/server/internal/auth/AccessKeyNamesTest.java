package dev.secrets.server.internal.auth;

import dev.secrets.testing.IsolatedConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.testing.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An access key's name is the audit principal, so it must name one key: simultaneous creates of one
 * name from clients that share the store (two operators, two servers) leave exactly one key, and a
 * create interrupted between its two writes does not leave the name stuck for ever.
 */
class AccessKeyNamesTest {
    private static final String POLICY = ServerFixture.ALLOW_ALL;
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    private final List<SecretsClient> clients = new ArrayList<>();

    @BeforeEach
    void clients() {
        for (int i = 0; i < CLIENTS; i++) { // one client each, as separate processes would be: no shared cache or lock
            clients.add(SecretsClient.builder().config(IsolatedConfig.get()).store("file:" + dir)
                    .masterKey("default", ServerFixture.masterKey()).cacheTtl(Duration.ZERO).build());
        }
    }

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
    }

    @Test
    void simultaneousCreatesOfOneName_leaveExactlyOneKey() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "ci-deployer-" + round;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<AccessKeys.Pair>> results = new ArrayList<>();
            for (SecretsClient c : clients) {
                AccessKeys keys = new AccessKeys(c);
                results.add(pool.submit((Callable<AccessKeys.Pair>) () -> {
                    start.await();
                    return keys.create(name, POLICY);
                }));
            }
            start.countDown();
            int made = 0;
            for (Future<AccessKeys.Pair> f : results) {
                try {
                    f.get();
                    made++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(SecretsException.class)
                            .hasMessage("an access key named '" + name + "' already exists");
                }
            }
            pool.shutdown();
            assertThat(made).as("creates of '%s' that succeeded", name).isEqualTo(1);
            assertThat(new AccessKeys(clients.get(0)).list()).filteredOn(k -> k.name().equals(name)).hasSize(1);
        }
    }

    @Test
    void deleteFreesTheName_andAnInterruptedCreateCanBeCleared() {
        AccessKeys keys = new AccessKeys(clients.get(0));
        AccessKeys.Pair first = keys.create("app", POLICY);
        keys.delete("app");
        AccessKeys.Pair second = keys.create("app", POLICY);
        assertThat(second.accessKeyId()).isNotEqualTo(first.accessKeyId());
        assertThat(keys.list()).extracting(AccessKeys.Info::accessKeyId).containsExactly(second.accessKeyId());

        // A create that stopped after reserving the name (a crash): the name is taken, list shows no key,
        // and `access-key delete` clears it.
        clients.get(1).createSecret(CreateSecretRequest.of(AccessKeyStore.nameSecret("half-made"), SecretKind.GENERIC,
                SecretValue.ofFields(Map.of("id", "SKIAAAAAAAAAAAAAAAAA"))));
        assertThatThrownBy(() -> keys.create("half-made", POLICY)).hasMessage("an access key named 'half-made' already exists");
        assertThat(keys.list()).extracting(AccessKeys.Info::name).doesNotContain("half-made");
        keys.delete("half-made");
        assertThat(keys.create("half-made", POLICY).name()).isEqualTo("half-made");
        assertThatThrownBy(() -> keys.delete("never-made")).isInstanceOf(SecretNotFoundException.class)
                .hasMessage("no access key named 'never-made'");
    }
}
