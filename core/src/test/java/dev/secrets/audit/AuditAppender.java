package dev.secrets.audit;

import dev.secrets.spi.AuditEvent;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A separate process for {@link JsonLinesAuditSinkTest}: appends {@code count} events to a log
 * through its own sink, the secret IDs {@code TAG/0 … TAG/count-1}.
 * Arguments: file, tag, count.
 */
public final class AuditAppender {
    private AuditAppender() {
    }

    public static void main(String[] args) {
        JsonLinesAuditSink sink = new JsonLinesAuditSink(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            sink.record(new AuditEvent(Instant.now(), "secret.read", args[1] + "/" + i, null, AuditEvent.SUCCESS, null, args[1]));
        }
    }
}
