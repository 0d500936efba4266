package dev.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.spi.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class Slf4jAuditSinkTest {
    /** A real SLF4J logger that keeps what it is given. */
    static final class KeepingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<String> lines = new ArrayList<>();

        KeepingLogger() {
            this.name = Slf4jAuditSink.LOGGER_NAME;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
            synchronized (lines) {
                lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

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
