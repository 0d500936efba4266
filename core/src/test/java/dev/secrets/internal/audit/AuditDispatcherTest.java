package dev.secrets.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.AuditFailedException;
import dev.secrets.SecretsConfig;
import dev.secrets.audit.JsonLinesAuditSink;
import dev.secrets.audit.KeepingAuditSink;
import dev.secrets.audit.Slf4jAuditSink;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.SecretsMetrics;
import dev.secrets.testing.IsolatedConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditDispatcherTest {
    private static final AuditEvent EVENT = new AuditEvent(Instant.EPOCH, "secret.write", "app/db", "v1", AuditEvent.SUCCESS, null, "ci");

    @TempDir
    Path dir;

    static final class CountingMetrics implements SecretsMetrics {
        final AtomicInteger auditFailures = new AtomicInteger();

        @Override
        public void auditFailure(String action) {
            auditFailures.incrementAndGet();
        }
    }

    private static SecretsConfig config(String... keyValues) {
        SecretsConfig.Builder b = IsolatedConfig.builder();
        for (int i = 0; i < keyValues.length; i += 2) {
            b.set(keyValues[i], keyValues[i + 1]);
        }
        return b.build();
    }

    /** A real file sink that cannot write: its path is a directory. */
    private AuditSink brokenSink() throws Exception {
        return new JsonLinesAuditSink(Files.createDirectories(dir.resolve("broken-" + System.nanoTime())));
    }

    private static AuditDispatcher only(List<AuditSink> sinks) {
        assertThat(sinks).singleElement().isInstanceOf(AuditDispatcher.class);
        return (AuditDispatcher) sinks.get(0);
    }

    @Test
    void noSinkConfigured_meansNoAuditing() {
        assertThat(AuditDispatcher.forClient(List.of(), null, config(), SecretsMetrics.NONE)).isEmpty();
    }

    @Test
    void auditLogSetting_addsTheFileSink_failingClosedByDefault() {
        AuditDispatcher d = only(AuditDispatcher.forClient(List.of(), null,
                config(SecretsConfig.AUDIT_LOG, dir.resolve("a.log").toString()), SecretsMetrics.NONE));

        assertThat(d.failClosed()).isTrue();
        assertThat(d.sinks()).singleElement().isInstanceOf(JsonLinesAuditSink.class);
    }

    @Test
    void slf4jAlone_failsOpenByDefault() {
        AuditDispatcher d = only(AuditDispatcher.forClient(List.of(), null, config(SecretsConfig.AUDIT_SLF4J, "true"), SecretsMetrics.NONE));

        assertThat(d.failClosed()).isFalse();
        assertThat(d.sinks()).singleElement().isInstanceOf(Slf4jAuditSink.class);
    }

    @Test
    void slf4jWithAFile_failsClosedByDefault() {
        AuditDispatcher d = only(AuditDispatcher.forClient(List.of(), null, config(SecretsConfig.AUDIT_SLF4J, "true",
                SecretsConfig.AUDIT_LOG, dir.resolve("a.log").toString()), SecretsMetrics.NONE));

        assertThat(d.failClosed()).isTrue();
        assertThat(d.sinks()).hasSize(2);
    }

    @Test
    void failClosedSetting_andBuilderOverride_winInThatOrder() {
        SecretsConfig open = config(SecretsConfig.AUDIT_LOG, dir.resolve("a.log").toString(), SecretsConfig.AUDIT_FAIL_CLOSED, "false");

        assertThat(only(AuditDispatcher.forClient(List.of(), null, open, SecretsMetrics.NONE)).failClosed()).isFalse();
        assertThat(only(AuditDispatcher.forClient(List.of(), true, open, SecretsMetrics.NONE)).failClosed()).isTrue();
    }

    @Test
    void anEventRecordedByOneSink_isRecorded_andTheOtherSinksFailureIsCounted() throws Exception {
        KeepingAuditSink good = new KeepingAuditSink();
        CountingMetrics metrics = new CountingMetrics();
        AuditDispatcher d = new AuditDispatcher(List.of(brokenSink(), good), true, metrics);

        assertThatCode(() -> d.record(EVENT)).doesNotThrowAnyException();
        assertThatCode(d::checkReady).doesNotThrowAnyException();
        assertThat(good.events).containsExactly(EVENT);
        assertThat(metrics.auditFailures).hasValue(1);
        assertThat(d.dropped()).isZero();
    }

    @Test
    void failingClosed_anEventNoSinkRecorded_failsWithAClearError() throws Exception {
        AuditDispatcher d = new AuditDispatcher(List.of(brokenSink(), brokenSink()), true, SecretsMetrics.NONE);

        assertThatThrownBy(() -> d.record(EVENT)).isInstanceOf(AuditFailedException.class)
                .hasMessageContaining("no audit sink could record 'secret.write' of secret 'app/db'")
                .hasMessageContaining(SecretsConfig.AUDIT_FAIL_CLOSED)
                .hasCauseInstanceOf(AuditFailedException.class);
        assertThatThrownBy(d::checkReady).isInstanceOf(AuditFailedException.class).hasMessageContaining("nothing was written");
        assertThat(d.dropped()).isEqualTo(1);
    }

    @Test
    void failingOpen_anEventNoSinkRecorded_isDroppedAndCounted() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        AuditDispatcher d = new AuditDispatcher(List.of(brokenSink()), false, metrics);

        assertThatCode(() -> d.record(EVENT)).doesNotThrowAnyException();
        assertThatCode(d::checkReady).doesNotThrowAnyException();
        assertThat(d.dropped()).isEqualTo(1);
        assertThat(metrics.auditFailures).hasValue(1);
    }

    @Test
    void withoutSlf4jOnTheClassPath_coreAudits_andTheSlf4jSinkIsAClearConfigurationError() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("slf4j")).collect(Collectors.joining(File.pathSeparator));
        Path log = dir.resolve("child.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                Slf4jAbsentCheck.class.getName(), log.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("file sink: 1")
                .contains("slf4j sink: secrets.audit.slf4j=true needs org.slf4j:slf4j-api on the class path");
    }
}
