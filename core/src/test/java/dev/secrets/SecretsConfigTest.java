package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsConfigTest {
    @TempDir
    Path dir;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    /** Runs {@code body} with a class path that holds {@code secrets.properties} with {@code content}. */
    private SecretsConfig withClasspathFile(String content, SecretsConfig.Builder b) throws IOException {
        Path cp = Files.createDirectories(dir.resolve("cp"));
        Files.writeString(cp.resolve("secrets.properties"), content);
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {cp.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);
            return b.build();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void theChainOrder_isExplicitThenSystemPropertiesThenEnvironmentThenFileThenClasspath() throws IOException {
        Path file = dir.resolve("secrets-file.properties");
        Files.writeString(file, "secrets.store=file:/from-file\nsecrets.key=env:FROM_FILE\nsecrets.cache.ttl=3m\n"
                + "secrets.cache.max-size=7\nsecrets.audit.log=/from-file.log\n");
        String classpath = "secrets.store=file:/from-classpath\nsecrets.key=env:FROM_CP\nsecrets.cache.ttl=4m\n"
                + "secrets.cache.max-size=8\nsecrets.audit.log=/cp.log\nsecrets.principal=cp-user\n";
        Map<String, String> env = Map.of("SECRETS_STORE", "file:/from-env", "SECRETS_KEY", "env:FROM_ENV",
                "SECRETS_CACHE_TTL", "2m", "SECRETS_CONFIG", file.toString(), "PATH", "/usr/bin");
        Properties sys = props("secrets.store", "file:/from-sysprops", "secrets.key", "env:FROM_SYS", "other.key", "x");

        SecretsConfig c = withClasspathFile(classpath, SecretsConfig.builder().environment(env).systemProperties(sys)
                .set("secrets.store", "file:/explicit"));

        assertThat(c.get(SecretsConfig.STORE)).hasValue("file:/explicit");
        assertThat(c.get(SecretsConfig.KEY)).hasValue("env:FROM_SYS");
        assertThat(c.duration(SecretsConfig.CACHE_TTL, Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.integer(SecretsConfig.CACHE_MAX_SIZE, 1024, 1)).isEqualTo(7);
        assertThat(c.get(SecretsConfig.AUDIT_LOG)).hasValue("/from-file.log");
        assertThat(c.get(SecretsConfig.PRINCIPAL)).hasValue("cp-user");
        assertThat(c.get("other.key")).isEmpty();
        assertThat(c.get("secrets.nothing")).isEmpty();
    }

    @Test
    void eachLayer_answersWhenTheLayersAboveAreSilent() throws IOException {
        Path file = dir.resolve("f.properties");
        Files.writeString(file, "secrets.store=file:/from-file\n");
        assertThat(withClasspathFile("secrets.store=file:/cp\n", SecretsConfig.builder().environment(Map.of())
                .systemProperties(props())).get(SecretsConfig.STORE)).hasValue("file:/cp");
        assertThat(withClasspathFile("secrets.store=file:/cp\n", SecretsConfig.builder().environment(Map.of())
                .systemProperties(props("secrets.config", file.toString()))).get(SecretsConfig.STORE)).hasValue("file:/from-file");
        assertThat(SecretsConfig.builder().environment(Map.of("SECRETS_STORE", "file:/env")).systemProperties(props())
                .classpathFile(false).build().get(SecretsConfig.STORE)).hasValue("file:/env");
        assertThat(SecretsConfig.builder().environment(Map.of("SECRETS_STORE", "file:/env"))
                .systemProperties(props("secrets.store", "file:/sys")).classpathFile(false).build().get(SecretsConfig.STORE))
                .hasValue("file:/sys");
        // A blank value does not hide a lower layer.
        assertThat(SecretsConfig.builder().environment(Map.of("SECRETS_STORE", "file:/env"))
                .systemProperties(props("secrets.store", "  ")).classpathFile(false).build().get(SecretsConfig.STORE))
                .hasValue("file:/env");
        assertThat(withClasspathFile("secrets.store=file:/cp\n", SecretsConfig.builder().environment(Map.of())
                .systemProperties(props()).classpathFile(false)).get(SecretsConfig.STORE)).isEmpty();
    }

    @Test
    void environmentNames_areUpperCaseWithUnderscores_andNamedKeysAreFound() {
        assertThat(SecretsConfig.environmentName("secrets.cache.max-size")).isEqualTo("SECRETS_CACHE_MAX_SIZE");
        SecretsConfig c = SecretsConfig.builder()
                .environment(Map.of("SECRETS_CACHE_MAX_SIZE", "12", "SECRETS_KEYS_TEAM", "env:TEAM_KEY"))
                .systemProperties(props("secrets.keys.ops", "file:/ops.key")).classpathFile(false).build();
        assertThat(c.integer(SecretsConfig.CACHE_MAX_SIZE, 1, 1)).isEqualTo(12);
        assertThat(c.withPrefix(SecretsConfig.KEYS_PREFIX)).containsEntry("secrets.keys.team", "env:TEAM_KEY")
                .containsEntry("secrets.keys.ops", "file:/ops.key");
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "90s,PT1M30S", "15m,PT15M", "1h,PT1H", "2d,PT48H", "PT1H,PT1H", "P1D,PT24H", "0s,PT0S",
        "' 30s ',PT30S"})
    void durations_acceptShortFormsAndIso8601(String text, String expected) {
        SecretsConfig c = SecretsConfig.builder().environment(Map.of()).systemProperties(props()).classpathFile(false)
                .set(SecretsConfig.CACHE_TTL, text).build();
        assertThat(c.duration(SecretsConfig.CACHE_TTL, Duration.ZERO)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void badNumbersAndDurations_areClearErrors_andDefaultsApplyWhenUnset() {
        SecretsConfig.Builder b = SecretsConfig.builder().environment(Map.of()).systemProperties(props()).classpathFile(false);
        assertThat(b.build().duration(SecretsConfig.CACHE_TTL, Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(b.build().integer(SecretsConfig.CACHE_MAX_SIZE, 1024, 1)).isEqualTo(1024);
        assertThatThrownBy(() -> b.set(SecretsConfig.CACHE_TTL, "soon").build().duration(SecretsConfig.CACHE_TTL, Duration.ZERO))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("secrets.cache.ttl").hasMessageContaining("'soon'")
                .hasMessageContaining("90s");
        assertThatThrownBy(() -> b.set(SecretsConfig.CACHE_MAX_SIZE, "many").build().integer(SecretsConfig.CACHE_MAX_SIZE, 1, 1))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("secrets.cache.max-size").hasMessageContaining("'many'");
        assertThatThrownBy(() -> b.set(SecretsConfig.CACHE_MAX_SIZE, "0").build().integer(SecretsConfig.CACHE_MAX_SIZE, 1, 1))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> b.set("secrets.flag", "maybe").build().bool("secrets.flag", false))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("true or false");
    }

    @Test
    void aMissingStore_isAnErrorSayingHowToSetIt() {
        SecretsConfig empty = SecretsConfig.builder().environment(Map.of()).systemProperties(props()).classpathFile(false).build();
        assertThatThrownBy(() -> SecretsClient.fromConfig(empty)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("secrets.store").hasMessageContaining("SECRETS_STORE").hasMessageContaining("secrets.properties");
        assertThatThrownBy(() -> empty.require(SecretsConfig.STORE)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("-Dsecrets.store").hasMessageContaining("SECRETS_STORE");
        SecretsConfig unknown = empty.with(Map.of(SecretsConfig.STORE, "zz://bucket"));
        assertThatThrownBy(() -> SecretsClient.fromConfig(unknown)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'zz'").hasMessageContaining("secrets-backend-zz");
    }

    @Test
    void aConfigFileThatDoesNotExist_isAClearError() {
        assertThatThrownBy(() -> SecretsConfig.builder().environment(Map.of("SECRETS_CONFIG", dir.resolve("nope").toString()))
                .systemProperties(props()).classpathFile(false).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("secrets.config").hasMessageContaining("nope");
    }

    @Test
    void with_addsExplicitSettingsOnTop_andKeepsTheOtherLayers() {
        Map<String, String> env = new HashMap<>(Map.of("SECRETS_KEY", "env:K", "SECRETS_STORE", "file:/env"));
        SecretsConfig base = SecretsConfig.builder().environment(env).systemProperties(props()).classpathFile(false).build();
        SecretsConfig more = base.with(Map.of(SecretsConfig.STORE, "file:/jdbc"));
        env.put("SECRETS_KEY", "changed");

        assertThat(more.get(SecretsConfig.STORE)).hasValue("file:/jdbc");
        assertThat(more.get(SecretsConfig.KEY)).hasValue("env:K");
        assertThat(base.get(SecretsConfig.STORE)).hasValue("file:/env");
        assertThat(more.toString()).contains("secrets.store").doesNotContain("env:K");
    }
}
