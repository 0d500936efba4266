package dev.secrets.audit;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A real SLF4J logger that keeps what it is given ("LEVEL message"), for tests of the SLF4J audit sink. */
public final class KeepingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    public final List<String> lines = new ArrayList<>();

    public KeepingLogger() {
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

