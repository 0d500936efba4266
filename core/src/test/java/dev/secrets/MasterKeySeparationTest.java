package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.audit.KeepingAuditSink;
import dev.secrets.spi.AuditEvent;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two teams share one store, each with its own master key: the key is the access control. */
class MasterKeySeparationTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final byte[] defaultRoot = new byte[32];
    private final byte[] paymentsRoot = new byte[32];

    @BeforeEach
    void roots() {
        new SecureRandom().nextBytes(defaultRoot);
        new SecureRandom().nextBytes(paymentsRoot);
    }

    private SecretsClient.Builder client() {
        SecretsConfig cfg = IsolatedConfig.get();
        return SecretsClient.builder().config(cfg).store(store);
    }

    private SecretsClient shopTeam() {
        return client().masterKey("default", defaultRoot).principal("shop").build();
    }

    private SecretsClient paymentsTeam() {
        return client().masterKey("payments", paymentsRoot).principal("payments").build();
    }

    private void createBoth() {
        try (SecretsClient shop = shopTeam(); SecretsClient payments = paymentsTeam()) {
            shop.createSecret(CreateSecretRequest.of("shop/db", SecretKind.GENERIC, SecretValue.ofText("shop-value"))
                    .withTag("team", "shop"));
            payments.createSecret(CreateSecretRequest.of("payments/api", SecretKind.GENERIC, SecretValue.ofText("payments-value"))
                    .withKeyName("payments").withTag("team", "payments").withDescription("card processor key"));
        }
    }

    @Test
    void neitherTeamReadsTheOthersValue_andTheErrorNamesTheMissingKey() {
        createBoth();
        KeepingAuditSink audit = new KeepingAuditSink();
        try (SecretsClient shop = client().masterKey("default", defaultRoot).auditSink(audit).build();
             SecretsClient payments = paymentsTeam()) {
            assertThatThrownBy(() -> shop.getSecretValue("payments/api")).isInstanceOf(MissingMasterKeyException.class)
                    .hasMessageContaining("'payments'").hasMessageNotContaining("payments-value");
            assertThatThrownBy(() -> payments.getSecretValue("shop/db")).isInstanceOf(MissingMasterKeyException.class)
                    .hasMessageContaining("'default'");
            assertThatThrownBy(() -> shop.refresh("payments/api")).isInstanceOf(MissingMasterKeyException.class);

            assertThat(shop.getSecretValue("shop/db").text()).isEqualTo("shop-value");
            assertThat(payments.getSecretValue("payments/api").text()).isEqualTo("payments-value");
            assertThat(audit.events.get(0)).satisfies(e -> {
                assertThat(e.action()).isEqualTo("secret.read");
                assertThat(e.outcome()).isEqualTo(AuditEvent.FAILURE);
                assertThat(e.errorClass()).isEqualTo("MissingMasterKeyException");
            });
        }
    }

    @Test
    void bothTeamsListAndDescribeEverySecret_withoutValues() {
        createBoth();
        try (SecretsClient shop = shopTeam(); SecretsClient payments = paymentsTeam()) {
            for (SecretsClient c : new SecretsClient[] {shop, payments}) {
                assertThat(c.listSecrets(ListSecretsRequest.all()).items()).extracting(d -> d.id().value(), SecretDescription::keyName)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("payments/api", "payments"),
                                org.assertj.core.groups.Tuple.tuple("shop/db", "default"));
                assertThat(c.listSecrets(ListSecretsRequest.all().withTag("team", "payments")).items())
                        .extracting(d -> d.id().value()).containsExactly("payments/api");
            }
            SecretDescription other = shop.describeSecret("payments/api");
            assertThat(other.description()).isEqualTo("card processor key");
            assertThat(other.tags()).containsEntry("team", "payments");
            assertThat(other.created()).isNotNull();
            assertThat(other.versions()).singleElement().satisfies(v -> assertThat(v.labels()).containsExactly(Label.CURRENT));
            assertThat(other.toString()).doesNotContain("payments-value");
        }
    }

    @Test
    void movingASecretToAnotherKey_movesWhoCanReadIt() {
        createBoth();
        try (SecretsClient both = client().masterKey("default", defaultRoot).masterKey("payments", paymentsRoot).build()) {
            both.moveToKey("shop/db", "payments");
            assertThat(both.describeSecret("shop/db").keyName()).isEqualTo("payments");
            assertThat(both.getSecretValue("shop/db").text()).isEqualTo("shop-value");
        }
        try (SecretsClient shop = shopTeam(); SecretsClient payments = paymentsTeam()) {
            assertThatThrownBy(() -> shop.getSecretValue("shop/db")).isInstanceOf(MissingMasterKeyException.class)
                    .hasMessageContaining("'payments'");
            assertThat(payments.getSecretValue("shop/db").text()).isEqualTo("shop-value");
            assertThat(payments.describeSecret("shop/db").versions()).hasSize(1);
        }
    }

    @Test
    void movingToAKeyTheClientLacks_failsAndChangesNothing() {
        createBoth();
        try (SecretsClient shop = shopTeam()) {
            assertThatThrownBy(() -> shop.moveToKey("shop/db", "payments")).isInstanceOf(MissingMasterKeyException.class)
                    .hasMessageContaining("'payments'");
            assertThat(shop.describeSecret("shop/db").keyName()).isEqualTo("default");
            assertThat(shop.refresh("shop/db").text()).isEqualTo("shop-value");
        }
    }
}
