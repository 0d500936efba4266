package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

class SecretImportFailureAnalyzerTest {
    @TempDir
    Path tmp;

    @Test
    void isRegisteredForSpringBootsStartUpFailureReport() {
        List<String> names = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, null, (type, name, failure) -> {
                    // Boot's own analyzers need constructor arguments this test does not give; they are not the subject.
                })
                .stream()
                .map(a -> a.getClass().getName()).toList();
        assertThat(names).contains(SecretImportFailureAnalyzer.class.getName());
    }

    @Test
    void missingSecret_saysWhichSecretAndStore_andHowToFixIt() {
        try (FileStore store = FileStore.create(tmp)) {
            Throwable failure = catchThrowable(() -> FileStore.run(TestApplication.class,
                    store.args("--spring.config.import=secrets:prod/missing")));

            FailureAnalysis analysis = new SecretImportFailureAnalyzer().analyze(failure);

            assertThat(analysis.getDescription()).contains("'prod/missing'", "not found", store.storeUri());
            assertThat(analysis.getAction()).contains("secrets create prod/missing", "secrets.store",
                    "spring.config.import=optional:secrets:prod/missing");
        }
    }

    @Test
    void unconfiguredStore_saysWhichPropertiesToSet() {
        Throwable failure = catchThrowable(() -> FileStore.run(TestApplication.class, "--spring.config.import=secrets:prod/db"));

        FailureAnalysis analysis = new SecretImportFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).contains("'prod/db'", "not configured");
        assertThat(analysis.getAction()).contains("secrets.store", "secrets.key", "SECRETS_STORE");
    }

    @Test
    void wrongMasterKey_isReportedAsAReadFailure_withoutTheValue() {
        try (FileStore store = FileStore.create(tmp.resolve("a")); FileStore other = FileStore.create(tmp.resolve("b"))) {
            store.fields("prod/db", Map.of("password", FileStore.CANARY));

            Throwable failure = catchThrowable(() -> FileStore.run(TestApplication.class,
                    "--secrets.store=" + store.storeUri(), "--secrets.key=" + other.keyUri(), "--spring.config.import=secrets:prod/db"));

            FailureAnalysis analysis = new SecretImportFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription()).contains("'prod/db'", "could not be read").doesNotContain(FileStore.CANARY);
            assertThat(analysis.getAction()).contains("secrets.key");
        }
    }
}
