package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretChangedEventTest {
    @Test
    void toString_namesTheSecretAndBothVersions() {
        SecretChangedEvent e = new SecretChangedEvent(this, "prod/db", "v1", "v2");

        assertThat(e.toString()).isEqualTo("SecretChangedEvent[prod/db, v1 -> v2]");
        assertThat(e.secretId()).isEqualTo("prod/db");
        assertThat(e.previousVersionId()).isEqualTo("v1");
        assertThat(e.currentVersionId()).isEqualTo("v2");
    }
}
