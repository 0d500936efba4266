package dev.secrets.spring;

import dev.secrets.SecretId;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataException;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Resolves {@code spring.config.import=secrets:ID[;ID…]} locations. Each ID may carry its own
 * {@code ?prefix=app.db.} (a prefix for its property names); {@code optional:secrets:…} makes a
 * missing secret skipped instead of fatal. An item ending in {@code /*} ({@code secrets:prod/app/*})
 * imports every secret under that ID prefix (see {@link SecretsPrefixPropertySource} for the names).
 *
 * <p>The first {@code secrets:} location registers one {@link SecretsClient} in the
 * {@linkplain ConfigurableBootstrapContext bootstrap context}, built from the {@code secrets.*}
 * properties known at that point (see {@link SecretsProperties}) and from a
 * {@link SecretsClientCustomizer} registered there, if any. When the bootstrap context closes, that
 * client becomes the application context's bean {@value #CLIENT_BEAN_NAME}, so the application uses
 * the same client (and cache) that loaded its configuration; it is closed with the context.
 *
 * <p>Registered in {@code META-INF/spring.factories}; not for direct use.
 */
public class SecretsConfigDataLocationResolver implements ConfigDataLocationResolver<SecretsConfigDataResource> {
    /** The location prefix: {@code secrets:}. */
    public static final String PREFIX = "secrets:";
    /** Name of the client bean promoted from the bootstrap context. */
    public static final String CLIENT_BEAN_NAME = "secretsClient";
    /** Name of the {@link SecretsMetricsBridge} bean promoted with the client. */
    public static final String METRICS_BEAN_NAME = "secretsMetricsBridge";

    private static final String PREFIX_PARAMETER = "?prefix=";

    @Override
    public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        return location.hasPrefix(PREFIX);
    }

    /** The setting that lets secrets imported without a prefix set reserved names ({@code spring.*}, …). */
    public static final String ALLOW_RESERVED_NAMES = "secrets.import.allow-reserved-names";

    @Override
    public List<SecretsConfigDataResource> resolve(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        boolean allowReserved = context.getBinder().bind(ALLOW_RESERVED_NAMES, Boolean.class).orElse(false);
        List<SecretsConfigDataResource> resources = parse(location, allowReserved);
        registerClient(context.getBootstrapContext(), context.getBinder());
        return resources;
    }

    /**
     * The resources of a location: one per {@code ;}-separated ID.
     *
     * @throws InvalidImportException when no ID is given or an ID is not valid
     */
    static List<SecretsConfigDataResource> parse(ConfigDataLocation location) {
        return parse(location, false);
    }

    /** As {@link #parse(ConfigDataLocation)}, the resources allowing reserved property names or not. */
    static List<SecretsConfigDataResource> parse(ConfigDataLocation location, boolean allowReservedNames) {
        String value = location.getNonPrefixedValue(PREFIX);
        List<SecretsConfigDataResource> out = new ArrayList<>();
        for (String part : value.split(";")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            String prefix = "";
            int q = item.indexOf(PREFIX_PARAMETER);
            if (q >= 0) {
                prefix = item.substring(q + PREFIX_PARAMETER.length()).trim();
                item = item.substring(0, q).trim();
            } else if (item.indexOf('?') >= 0) {
                throw new InvalidImportException(location, "'" + item.substring(item.indexOf('?'))
                        + "' is not understood; the only parameter is ?prefix=NAME.");
            }
            if (item.endsWith("/*")) {
                String idPrefix = item.substring(0, item.length() - 1);
                String problem = SecretId.problem(idPrefix.substring(0, idPrefix.length() - 1));
                if (problem != null) {
                    throw new InvalidImportException(location, "'" + item + "': " + problem);
                }
                out.add(new SecretsConfigDataResource(idPrefix, prefix, location.isOptional(), true, List.of(), allowReservedNames));
                continue;
            }
            String problem = SecretId.problem(item);
            if (problem != null) {
                throw new InvalidImportException(location, problem
                        + (item.contains("*") ? "; to import every secret under a prefix, end it with /* (secrets:prod/app/*)" : ""));
            }
            out.add(new SecretsConfigDataResource(item, prefix, location.isOptional(), false, List.of(item), allowReservedNames));
        }
        if (out.isEmpty()) {
            throw new InvalidImportException(location, "no secret ID is given; write secrets:ID, secrets:ID1;ID2 or secrets:PREFIX/*");
        }
        List<String> ids = out.stream().filter(r -> !r.byPrefix()).map(SecretsConfigDataResource::secretId).toList();
        List<SecretsConfigDataResource> batched = new ArrayList<>();
        for (SecretsConfigDataResource r : out) {
            batched.add(r.byPrefix() ? r : new SecretsConfigDataResource(r.secretId(), r.prefix(), r.optional(), false, ids,
                    allowReservedNames));
        }
        return batched;
    }

    private static void registerClient(ConfigurableBootstrapContext bootstrap, Binder binder) {
        // A client the application registered itself (through a BootstrapRegistryInitializer) is used as it is.
        bootstrap.registerIfAbsent(SecretsClient.class, InstanceSupplier.from(() -> {
            SecretsProperties props = binder.bind(SecretsProperties.CONFIG_PREFIX, Bindable.of(SecretsProperties.class))
                    .orElseGet(SecretsProperties::new);
            SecretsClientCustomizer customizer = bootstrap.isRegistered(SecretsClientCustomizer.class)
                    ? bootstrap.get(SecretsClientCustomizer.class) : null;
            return SecretsAutoConfiguration.buildClient(props, customizer == null ? List.of() : List.of(customizer),
                    bootstrap.get(SecretsMetricsBridge.class));
        }));
        bootstrap.registerIfAbsent(SecretsMetricsBridge.class, InstanceSupplier.from(SecretsMetricsBridge::new));
        if (bootstrap.isRegistered(Promotion.class)) {
            return;
        }
        bootstrap.register(Promotion.class, InstanceSupplier.of(new Promotion()));
        bootstrap.addCloseListener(event -> {
            ConfigurableApplicationContext app = event.getApplicationContext();
            SecretsClient client;
            try {
                client = event.getBootstrapContext().get(SecretsClient.class);
            } catch (SecretsException e) {
                // Only optional imports were made and the client cannot be built (no store configured):
                // nothing to promote; the auto-configuration reports the problem if a client is needed.
                return;
            }
            if (!app.getBeanFactory().containsSingleton(CLIENT_BEAN_NAME)) {
                app.getBeanFactory().registerSingleton(CLIENT_BEAN_NAME, client);
                if (!app.getBeanFactory().containsSingleton(METRICS_BEAN_NAME)) {
                    app.getBeanFactory().registerSingleton(METRICS_BEAN_NAME, event.getBootstrapContext().get(SecretsMetricsBridge.class));
                }
                app.addApplicationListener((ContextClosedEvent closed) -> {
                    if (closed.getApplicationContext() == app) {
                        client.close();
                    }
                });
            }
        });
    }

    /** Marks a bootstrap context whose client is promoted to a bean when it closes (once). */
    private static final class Promotion {
    }

    /**
     * A {@code secrets:} location that cannot be understood. Fails start-up even when {@code optional:},
     * since it is a mistake in the configuration, not a missing secret.
     */
    static final class InvalidImportException extends ConfigDataException {
        private static final long serialVersionUID = 1L;

        InvalidImportException(ConfigDataLocation location, String problem) {
            super("Invalid import '" + location + "': " + problem, null);
        }
    }
}
