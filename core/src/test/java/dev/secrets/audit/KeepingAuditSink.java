package dev.secrets.audit;

import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit sink that keeps every event in memory, for tests. Thread-safe. */
public final class KeepingAuditSink implements AuditSink {
    public final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }
}
