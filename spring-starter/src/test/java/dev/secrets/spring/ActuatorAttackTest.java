package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.RotationSettings;
import dev.secrets.file.FileObjectStore;
import dev.secrets.testing.Canary;
import dev.secrets.testing.InstrumentedObjectStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attacker: anyone who can reach the application's Actuator endpoints over HTTP (issue #14, item 9).
 * A real Spring Boot web application (embedded Tomcat on a random port, the full auto-configuration,
 * Actuator) over a real file store, called with a real HTTP client.
 *
 * <ul>
 *   <li>{@code /actuator/health} answers without authentication: hammering it must not make the
 *       application read every record of the store on every call.</li>
 *   <li>{@code /actuator/env} and {@code /actuator/configprops} with {@code show-values=always} (a common
 *       setting behind a management port) must not show the values of imported secrets.</li>
 * </ul>
 */
class ActuatorAttackTest {
    private static final String CANARY = FileStore.CANARY;
    private static final String API_KEY = Canary.with("api-key");

    @TempDir
    Path tmp;
    FileStore store;
    FileObjectStore files;
    InstrumentedObjectStore counted;
    final HttpClient http = HttpClient.newHttpClient();

    /** A web application with everything Boot auto-configures (no DataSource: there is no database here). */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    @EnableConfigurationProperties(DbSettings.class)
    static class WebApp {
    }

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
        files = new FileObjectStore(store.dir);
        counted = new InstrumentedObjectStore(files);
    }

    @AfterEach
    void closeStore() {
        files.close();
        store.close();
    }

    /** Starts the web application, its client reading the store through {@link #counted}. */
    private ConfigurableApplicationContext start(String... args) {
        List<String> a = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--management.endpoints.web.exposure.include=health,env,configprops",
                "--management.endpoint.health.show-details=always"));
        a.addAll(List.of(args));
        return FileStore.builder(WebApp.class).web(WebApplicationType.SERVLET)
                .addBootstrapRegistryInitializer(r -> r.register(SecretsClientCustomizer.class,
                        InstanceSupplier.of(b -> b.store(counted))))
                .run(store.args(a.toArray(new String[0])));
    }

    private String get(ConfigurableApplicationContext ctx, String path) throws IOException, InterruptedException {
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
        return r.body();
    }

    /** Thirty secrets with rotation settings: the rotation status reads each of them. */
    private void thirtySecretsWithRotation() {
        for (int i = 0; i < 30; i++) {
            store.text("prod/rotated/s" + i, "v" + i);
            store.client.configureRotation("prod/rotated/s" + i, RotationSettings.of("random-password", "rate(1 days)"));
        }
        store.text("prod/token", "t");
    }

    @Test
    void fiftyUnauthenticatedHealthCalls_readOneObjectOfTheStore_andNoRecord() throws Exception {
        thirtySecretsWithRotation();
        try (ConfigurableApplicationContext ctx = start("--spring.config.import=secrets:prod/token",
                "--management.health.secrets.cache.ttl=1h")) {
            counted.resetCounts();

            String body = "";
            for (int i = 0; i < 50; i++) {
                body = get(ctx, "/actuator/health");
            }

            JsonNode secrets = JsonMapper.builder().build().readTree(body).at("/components/secrets");
            assertThat(secrets.at("/status").asString()).isEqualTo("UP");
            assertThat(secrets.at("/details/store").asString()).isEqualTo(store.storeUri());
            // The default check is the store's identity object, read once for the fifty calls; no record is
            // read and nothing is listed (before: every call listed the store and read all thirty records).
            assertThat(counted.gets.get()).isEqualTo(1);
            assertThat(counted.lists.get()).isZero();
        }
    }

    @Test
    void withTheRotationCheckOn_fiftyHealthCalls_readTheRecordsOnce() throws Exception {
        thirtySecretsWithRotation();
        try (ConfigurableApplicationContext ctx = start("--spring.config.import=secrets:prod/token",
                "--management.health.secrets.rotation.enabled=true", "--management.health.secrets.cache.ttl=1h")) {
            counted.resetCounts();
            get(ctx, "/actuator/health");
            int getsOfOneCheck = counted.gets.get();
            int listsOfOneCheck = counted.lists.get();
            assertThat(getsOfOneCheck).as("one rotation check reads the records").isGreaterThan(30);

            for (int i = 0; i < 49; i++) {
                get(ctx, "/actuator/health");
            }

            assertThat(counted.gets.get()).isEqualTo(getsOfOneCheck);
            assertThat(counted.lists.get()).isEqualTo(listsOfOneCheck);
        }
    }

    @Test
    void importedSecrets_areMaskedOnEnvAndConfigprops_withShowValuesAlways() throws Exception {
        store.fields("prod/app-db", Map.of("username", "app", "password", CANARY));
        store.text("prod/api-key", API_KEY);
        try (ConfigurableApplicationContext ctx = start(
                "--spring.config.import=secrets:prod/app-db?prefix=app.db.;prod/api-key",
                "--management.endpoint.env.show-values=always", "--management.endpoint.configprops.show-values=always",
                // A placeholder: Actuator shows it resolved, so it would show the secret's value.
                "--app.token=${api-key}", "--app.greeting=hello")) {
            assertThat(ctx.getBean(DbSettings.class).getPassword()).isEqualTo(CANARY);

            String env = get(ctx, "/actuator/env");
            String configprops = get(ctx, "/actuator/configprops");
            String password = get(ctx, "/actuator/env/app.db.password");
            String apiKey = get(ctx, "/actuator/env/api-key");
            String token = get(ctx, "/actuator/env/app.token");
            String greeting = get(ctx, "/actuator/env/app.greeting");

            for (String body : List.of(env, configprops, password, apiKey, token)) {
                assertThat(body).doesNotContain(CANARY);
            }
            JsonMapper json = JsonMapper.builder().build();
            assertThat(json.readTree(password).at("/property/value").asString()).isEqualTo("******");
            assertThat(json.readTree(password).at("/property/source").asString()).isEqualTo("secrets:prod/app-db?prefix=app.db.");
            assertThat(json.readTree(apiKey).at("/property/value").asString()).isEqualTo("******");
            assertThat(json.readTree(token).at("/property/value").asString()).isEqualTo("******");
            // show-values=always is in effect: what did not come from a secret is shown.
            assertThat(json.readTree(greeting).at("/property/value").asString()).isEqualTo("hello");
            JsonNode db = json.readTree(configprops).findValue("app.db-" + DbSettings.class.getName());
            assertThat(db.at("/properties/password").asString()).isEqualTo("******");
            assertThat(db.at("/properties/username").asString()).isEqualTo("******");
            assertThat(db.at("/inputs/password/value").asString()).isEqualTo("******");
        }
    }
}
