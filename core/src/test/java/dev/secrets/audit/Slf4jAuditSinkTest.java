package dev.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.spi.AuditEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Slf4jAuditSinkTest {
    @Test
    void success_isLoggedAtInfoAsOneJsonObject() {
        KeepingLogger logger = new KeepingLogger();
        new Slf4jAuditSink(logger).record(new AuditEvent(Instant.parse("2026-01-02T03:04:05Z"), "secret.write", "app/db", "v2",
                AuditEvent.SUCCESS, null, "ci"));

        assertThat(logger.lines).containsExactly("INFO {\"time\":\"2026-01-02T03:04:05Z\",\"action\":\"secret.write\","
                + "\"secretId\":\"app/db\",\"versionId\":\"v2\",\"outcome\":\"success\",\"principal\":\"ci\"}");
    }

    @Test
    void failure_isLoggedAtWarnWithTheErrorClass() {
        KeepingLogger logger = new KeepingLogger();
        new Slf4jAuditSink(logger).record(new AuditEvent(Instant.EPOCH, "secret.read", "app/db", null, AuditEvent.FAILURE,
                "MissingMasterKeyException", null));

        assertThat(logger.lines).singleElement().asString().startsWith("WARN ").contains("\"errorClass\":\"MissingMasterKeyException\"");
    }
}
