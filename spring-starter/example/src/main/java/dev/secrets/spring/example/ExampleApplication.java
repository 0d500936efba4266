package dev.secrets.spring.example;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.spring.SecretChangedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot application whose configuration comes from secrets. Run it from the repository root:
 * <pre>
 * ./mvnw -q -pl spring-starter/example -am package -DskipTests
 * java -jar spring-starter/example/target/secrets-spring-boot-example-0.1.0-SNAPSHOT.jar
 * </pre>
 * On first run it creates a demo store ({@code ./example-store}, master key in
 * {@code ./example-store.key}) with two secrets. Add {@code --example.stay=true} to keep it running
 * and follow a change: within five seconds of a new value of {@code demo/greeting} the
 * {@link GreetingProperties} bean holds it ({@code secrets.reload.strategy=refresh}) and a
 * {@code SecretChangedEvent} is logged.
 */
@SpringBootApplication
@EnableConfigurationProperties(GreetingProperties.class)
public class ExampleApplication implements ApplicationRunner {
    private static final Log LOG = LogFactory.getLog(ExampleApplication.class);

    private final GreetingProperties greeting;
    private final Environment environment;
    private final SecretsClient client;
    private final boolean stay;

    ExampleApplication(GreetingProperties greeting, Environment environment, SecretsClient client,
                       @Value("${example.stay:false}") boolean stay) {
        this.greeting = greeting;
        this.environment = environment;
        this.client = client;
        this.stay = stay;
    }

    public static void main(String[] args) throws IOException {
        createDemoStoreIfMissing(Path.of("example-store"), Path.of("example-store.key"));
        SpringApplication.run(ExampleApplication.class, args);
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        String apiKey = environment.getRequiredProperty("api-key");
        // Never log a secret: say only that it is there, and how long it is.
        LOG.info("api-key is set (" + apiKey.length() + " characters); greeting: " + greeting.getMessage()
                + " (to " + greeting.getRecipient() + ")");
        LOG.info("the client bean reads the same store: " + client);
        if (stay) {
            LOG.info("watching demo/api-key and demo/greeting; press Ctrl+C to stop");
            Thread.currentThread().join();
        }
    }

    /**
     * Logs each change of an imported secret; the event carries version IDs, never a value. By then the
     * {@code GreetingProperties} bean was bound again: it holds the new greeting.
     */
    @EventListener
    public void onSecretChanged(SecretChangedEvent event) {
        LOG.info(event + "; greeting is now: " + greeting.getMessage() + " (to " + greeting.getRecipient() + ")");
    }

    /** Creates the demo store, its master key and two secrets, unless the store already holds them. */
    static void createDemoStoreIfMissing(Path store, Path keyFile) throws IOException {
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
        Files.createDirectories(store);
        try (SecretsClient demo = SecretsClient.builder().store("file:" + store).masterKey("default", "file:" + keyFile).build()) {
            try {
                demo.describeSecret("demo/api-key");
            } catch (SecretNotFoundException e) {
                byte[] token = new byte[24];
                new SecureRandom().nextBytes(token);
                demo.createSecret(CreateSecretRequest.of("demo/api-key", SecretKind.GENERIC,
                        SecretValue.ofText(Base64.getUrlEncoder().withoutPadding().encodeToString(token))));
                demo.createSecret(CreateSecretRequest.of("demo/greeting", SecretKind.GENERIC,
                        SecretValue.ofFields(Map.of("message", "Hello from a secret", "recipient", "newcomer"))));
            }
        }
    }
}
