package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code secrets init}: creates a store (its identity and the master key's keyring) and checks the key opens it. */
@Command(name = "init", sortOptions = false, description = {"Initialize a store for a master key, and check that the key opens it.",
        "Idempotent: on an existing store it only checks the key."},
        footer = {"", "Example:", "  secrets init --store file:./store --generate-key ./master.key"})
final class InitCommand extends BaseCommand {
    @Option(names = "--key-name", paramLabel = "NAME", description = "the master key to initialize (default: default)")
    String keyName = "default";

    @Option(names = "--generate-key", paramLabel = "PATH",
            description = "generate a new master key into PATH (mode 0600) and use it as --key")
    Path generateKey;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        SecretsCommand r = root();
        SecretsConfig cfg = r.config();
        String keyUri = null;
        if (generateKey != null) {
            if (cfg.get(keySetting()).isPresent()) {
                throw new UsageException("a key is already configured (" + keySetting() + "); drop --generate-key or the key");
            }
            keyUri = KeyFiles.write(generateKey, new SecureRandom());
            cfg = cfg.with(java.util.Map.of(keySetting(), keyUri));
        }
        String storeUri = cfg.require(SecretsConfig.STORE);
        String storeId;
        try (SecretsClient c = r.client(cfg)) {
            storeId = c.initialize(keyName);
        }
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("store", storeUri);
            n.put("storeId", storeId);
            n.put("keyName", keyName);
            if (keyUri != null) {
                n.put("keyUri", keyUri);
            }
            printJson(n);
        } else {
            out().println("store " + storeUri + " is ready (store ID " + storeId + "), master key '" + keyName + "' opens it");
            if (keyUri != null) {
                out().println("new master key written to " + keyUri.substring(5) + " (mode 0600): use --key " + keyUri
                        + " or " + SecretsConfig.environmentName(keySetting()) + "=" + keyUri + "; keep a copy: without it the secrets cannot be read");
            }
        }
        return Main.OK;
    }

    private String keySetting() {
        return keyName.equals("default") ? SecretsConfig.KEY : SecretsConfig.KEYS_PREFIX + keyName;
    }
}
