package dev.secrets.spring;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretScheduledForDeletionException;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;

/**
 * Loads one secret of a {@code secrets:} import into a {@link SecretsPropertySource}, or every secret
 * under an ID prefix ({@code secrets:prod/app/*}) into a {@link SecretsPrefixPropertySource}, through
 * the client the {@link SecretsConfigDataLocationResolver} registered in the bootstrap context. The IDs
 * of one location are read from the store in one batch when the first of them is loaded (which fills
 * the client's cache for the others).
 *
 * <p>A missing secret (not found, no value, deletion scheduled) and a client without a configured
 * store are skipped when the import is {@code optional:}; otherwise, and for every other error
 * (store unreachable, wrong master key, tampering, two secrets of a prefix giving the same property
 * name, a secret setting a name reserved for the application's own configuration), start-up fails with
 * a {@link SecretImportException}.
 *
 * <p>Registered in {@code META-INF/spring.factories}; not for direct use.
 */
public class SecretsConfigDataLoader implements ConfigDataLoader<SecretsConfigDataResource> {
    @Override
    public ConfigData load(ConfigDataLoaderContext context, SecretsConfigDataResource resource) {
        SecretsClient client;
        try {
            client = context.getBootstrapContext().get(SecretsClient.class);
        } catch (ConfigurationException e) {
            if (resource.optional()) {
                return ConfigData.EMPTY;
            }
            throw new SecretImportException(resource.secretId(), null, SecretImportException.Reason.NOT_CONFIGURED, e);
        }
        String store = client.location();
        if (resource.byPrefix()) {
            return loadPrefix(client, store, resource);
        }
        SecretVersion version;
        try {
            List<String> batch = resource.batch();
            if (batch.size() > 1) {
                context.getBootstrapContext().registerIfAbsent(Batches.class, InstanceSupplier.from(Batches::new));
                if (context.getBootstrapContext().get(Batches.class).read.add(batch)) {
                    // Boot loads a location's resources in no promised order: whichever comes first reads them all
                    // with one listing and fills the cache, so the reads of the others hit it.
                    client.getSecretValues(batch);
                }
            }
            version = client.getSecretValue(resource.secretId());
        } catch (SecretNotFoundException | SecretScheduledForDeletionException e) {
            if (resource.optional()) {
                return ConfigData.EMPTY;
            }
            throw new SecretImportException(resource.secretId(), store, SecretImportException.Reason.NOT_FOUND, e);
        } catch (SecretsException e) {
            throw new SecretImportException(resource.secretId(), store, SecretImportException.Reason.FAILED, e);
        }
        SecretsPropertySource source;
        try {
            source = new SecretsPropertySource(version, resource.prefix(), resource.allowReservedNames());
        } catch (ReservedPropertyNameException e) {
            throw new SecretImportException(resource.secretId(), store, SecretImportException.Reason.RESERVED_NAMES, e);
        }
        return new ConfigData(List.of(source), ConfigData.Option.IGNORE_IMPORTS, ConfigData.Option.IGNORE_PROFILES);
    }

    /** The locations whose IDs were read in a batch, in this bootstrap context. */
    private static final class Batches {
        final Set<List<String>> read = ConcurrentHashMap.newKeySet();
    }

    private static ConfigData loadPrefix(SecretsClient client, String store, SecretsConfigDataResource resource) {
        try {
            List<SecretVersion> versions = SecretReads.underPrefix(client, resource.secretId());
            return new ConfigData(List.of(new SecretsPrefixPropertySource(resource.secretId(), resource.prefix(), versions,
                    resource.allowReservedNames())), ConfigData.Option.IGNORE_IMPORTS, ConfigData.Option.IGNORE_PROFILES);
        } catch (ReservedPropertyNameException e) {
            throw new SecretImportException(resource.secretId(), store, SecretImportException.Reason.RESERVED_NAMES, e);
        } catch (SecretsPrefixPropertySource.CollisionException e) {
            throw new SecretImportException(resource.secretId(), store, SecretImportException.Reason.COLLISION, e);
        } catch (SecretsException e) {
            throw new SecretImportException(resource.secretId(), store, SecretImportException.Reason.FAILED, e);
        }
    }
}
