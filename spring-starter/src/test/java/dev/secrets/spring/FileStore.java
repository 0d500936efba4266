package dev.secrets.spring;

import dev.secrets.testing.Canary;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A real file store in a temporary folder with its master key in a 0600 key file, and a client to fill it. */
final class FileStore implements AutoCloseable {
    /** A value that must never appear in any output. */
    static final String CANARY = Canary.VALUE;

    final Path dir;
    final Path keyFile;
    final SecretsClient client;

    private FileStore(Path dir, Path keyFile) {
        this.dir = dir;
        this.keyFile = keyFile;
        this.client = SecretsClient.builder().config(isolatedConfig()).store(storeUri()).masterKey("default", keyUri()).build();
    }

    static FileStore create(Path tmp) {
        try {
            Path dir = Files.createDirectories(tmp.resolve("store"));
            Path key = tmp.resolve("master.key");
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            Files.writeString(key, Base64.getEncoder().encodeToString(bytes), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            return new FileStore(dir, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chain that ignores this machine's SECRETS_* variables, secrets.* system properties and class path file. */
    static SecretsConfig isolatedConfig() {
        return SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build();
    }

    String storeUri() {
        return "file:" + dir;
    }

    String keyUri() {
        return "file:" + keyFile;
    }

    String fields(String id, Map<String, ?> fields) {
        return create(id, SecretKind.GENERIC, SecretValue.ofFields(fields));
    }

    String database(String id, Map<String, ?> fields) {
        return create(id, SecretKind.DATABASE, SecretValue.ofFields(fields));
    }

    String text(String id, String text) {
        return create(id, SecretKind.GENERIC, SecretValue.ofText(text));
    }

    private String create(String id, SecretKind kind, SecretValue value) {
        return client.createSecret(CreateSecretRequest.of(id, kind, value)).versionWith(dev.secrets.Label.CURRENT)
                .orElseThrow().versionId();
    }

    /** Command-line arguments that point an application at this store, then {@code more}. */
    String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("--secrets.store=" + storeUri(), "--secrets.key=" + keyUri()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** Starts a non-web application of {@code sources} with {@code args}. */
    static ConfigurableApplicationContext run(Class<?> source, String... args) {
        return builder(source).run(args);
    }

    static SpringApplicationBuilder builder(Class<?> source) {
        return new SpringApplicationBuilder(source).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false).registerShutdownHook(false);
    }

    @Override
    public void close() {
        client.close();
    }
}
