package dev.secrets.internal.audit;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretsConfig;
import dev.secrets.audit.AuditLogVerifier;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.SecretsMetrics;
import dev.secrets.testing.IsolatedConfig;
import java.time.Instant;
import java.util.List;

/**
 * Run by {@link AuditDispatcherTest} in a JVM without slf4j-api: the file sink works, and asking
 * for the SLF4J sink gives a configuration error that says what is missing. Argument: a log path.
 */
public final class Slf4jAbsentCheck {
    private Slf4jAbsentCheck() {
    }

    public static void main(String[] args) {
        SecretsConfig.Builder base = IsolatedConfig.builder();
        List<AuditSink> sinks = AuditDispatcher.forClient(List.of(), null, base.set(SecretsConfig.AUDIT_LOG, args[0]).build(),
                SecretsMetrics.NONE);
        sinks.get(0).record(new AuditEvent(Instant.now(), "secret.read", "a", null, AuditEvent.SUCCESS, null, null));
        System.out.println("file sink: " + AuditLogVerifier.verify(java.nio.file.Path.of(args[0])).entries());
        try {
            AuditDispatcher.forClient(List.of(), null, base.set(SecretsConfig.AUDIT_SLF4J, "true").build(), SecretsMetrics.NONE);
            System.out.println("slf4j sink: built");
        } catch (ConfigurationException e) {
            System.out.println("slf4j sink: " + e.getMessage());
        }
    }
}
