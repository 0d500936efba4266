package dev.secrets.spring;

import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.testing.Canary;
import dev.secrets.testing.TempFileStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Core's {@link TempFileStore} (a real file store in a temporary folder, its master key in a 0600
 * key file, a client to fill it) with what the starter's tests add: secrets of each kind in one
 * call, and the command-line arguments and builder that start an application on the store.
 */
final class FileStore implements AutoCloseable {
    /** A value that must never appear in any output. */
    static final String CANARY = Canary.VALUE;

    final TempFileStore files;
    final Path dir;
    final Path keyFile;
    final SecretsClient client;

    private FileStore(TempFileStore files) {
        this.files = files;
        this.dir = files.dir();
        this.keyFile = files.keyFile();
        this.client = files.client();
    }

    static FileStore create(Path tmp) {
        return new FileStore(TempFileStore.in(tmp));
    }

    String storeUri() {
        return files.storeUri();
    }

    String keyUri() {
        return files.keyUri();
    }

    String fields(String id, Map<String, ?> fields) {
        return files.create(id, SecretKind.GENERIC, SecretValue.ofFields(fields));
    }

    String database(String id, Map<String, ?> fields) {
        return files.create(id, SecretKind.DATABASE, SecretValue.ofFields(fields));
    }

    String text(String id, String text) {
        return files.create(id, SecretKind.GENERIC, SecretValue.ofText(text));
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
        files.close();
    }
}
