package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.MasterKeyDescription;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.Pkcs11Token;
import dev.secrets.SecretsClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets keys}: master keys. */
@Command(name = "keys", description = "Generate, rotate, list, rekey and retire master keys.",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Rotate.class, KeysCommand.ListKeys.class, KeysCommand.Rekey.class,
                KeysCommand.Retire.class})
final class KeysCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: generate, rotate, list, rekey or retire");
    }

    /** {@code secrets keys generate}: a new root key (32 random bytes, base64) in a file only its owner can read. */
    @Command(name = "generate", sortOptions = false, description = {"Generate a new master key: 32 random bytes, base64,",
            "into a new file of mode 0600 (never overwritten), or on standard output with --print;",
            "or an AES-256 key inside a PKCS#11 token (sensitive, non-extractable) with --pkcs11."},
            footer = {"", "Examples:", "  secrets keys generate --out ~/.secrets/master.key",
                    "  export SECRETS_KEY_B64=\"$(secrets keys generate --print)\"; secrets --key env:SECRETS_KEY_B64 init",
                    "  secrets keys generate --pkcs11 'pkcs11:token=secrets;object=master?module-path=/usr/lib/softhsm/libsofthsm2.so"
                            + "&pin-source=file:/etc/secrets/hsm.pin'"})
    static final class Generate extends BaseCommand {
        @Option(names = "--out", paramLabel = "PATH", description = "the new key file")
        Path out;

        @Option(names = "--pkcs11", paramLabel = "URI", description = "create the key inside the PKCS#11 token this URI names")
        String pkcs11;

        @Option(names = "--print", description = "print the key on standard output instead")
        boolean print;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            if ((out != null ? 1 : 0) + (print ? 1 : 0) + (pkcs11 != null ? 1 : 0) != 1) {
                throw new UsageException("give exactly one of --out PATH, --print or --pkcs11 URI");
            }
            if (pkcs11 != null) {
                String key = Pkcs11Token.generateKey(pkcs11);
                if (output.json) {
                    ObjectNode n = CliJson.JSON.createObjectNode();
                    n.put("key", key);
                    printJson(n);
                } else {
                    out().println("new AES-256 key " + key + " inside the token (sensitive, non-extractable); use it with --key '"
                            + pkcs11 + "' or move a master key to it with 'secrets keys rekey --to URI'");
                }
                return Main.OK;
            }
            if (print) {
                out().println(KeyFiles.newKey(new SecureRandom()));
                return Main.OK;
            }
            String uri = KeyFiles.write(out, new SecureRandom());
            if (output.json) {
                ObjectNode n = CliJson.JSON.createObjectNode();
                n.put("keyUri", uri);
                printJson(n);
            } else {
                out().println("new master key in " + uri.substring(5) + " (mode 0600); use it with --key " + uri);
            }
            return Main.OK;
        }
    }

    /** {@code secrets keys rotate}: a new version of a master key. */
    @Command(name = "rotate", description = {"Add a new version to a master key: new values are encrypted under it.",
            "Existing data keys stay under older versions until 'secrets rewrap'."},
            footer = {"", "Example:", "  secrets keys rotate && secrets rewrap"})
    static final class Rotate extends BaseCommand {
        @Option(names = "--key-name", paramLabel = "NAME", description = "the master key (default: default)")
        String keyName = "default";

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            int v;
            try (SecretsClient c = client()) {
                v = c.rotateMasterKey(keyName);
            }
            if (output.json) {
                ObjectNode n = CliJson.JSON.createObjectNode();
                n.put("keyName", keyName);
                n.put("keyVersion", v);
                printJson(n);
            } else {
                out().println("master key '" + keyName + "' is now at version " + v
                        + "; run 'secrets rewrap" + (keyName.equals("default") ? "" : " --key-name " + keyName)
                        + "' to re-wrap existing data keys");
            }
            return Main.OK;
        }
    }

    /** {@code secrets keys list}: master keys with their provider and versions. */
    @Command(name = "list", description = {"List the store's master keys: the scheme of each one's root (never a path or PIN)",
            "and, for keys whose root this client holds, every version with its state (primary, active, retired)."})
    static final class ListKeys extends BaseCommand {
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            ArrayNode arr = CliJson.JSON.createArrayNode();
            try (SecretsClient c = client()) {
                for (String name : c.masterKeyNames()) {
                    ObjectNode n = arr.addObject();
                    n.put("name", name);
                    try {
                        MasterKeyDescription d = c.describeMasterKey(name);
                        n.put("provider", d.provider());
                        ArrayNode vs = n.putArray("versions");
                        for (MasterKeyDescription.Version v : d.versions()) {
                            ObjectNode vn = vs.addObject();
                            vn.put("version", v.number());
                            vn.put("state", v.state().name().toLowerCase(java.util.Locale.ROOT));
                            vn.put("created", v.created().toString());
                            if (v.retired() != null) {
                                vn.put("retired", v.retired().toString());
                            }
                        }
                    } catch (MissingMasterKeyException e) {
                        n.put("provider", c.masterKeyProvider(name));
                        n.putNull("versions");
                    }
                }
            }
            if (output.json) {
                printJson(arr);
                return Main.OK;
            }
            for (var n : arr) {
                StringBuilder line = new StringBuilder(n.get("name").asText()).append("  provider=").append(n.get("provider").asText());
                if (n.get("versions").isNull()) {
                    line.append("  (no root for it configured here)");
                } else {
                    for (var v : n.get("versions")) {
                        line.append("  v").append(v.get("version").asInt()).append('=').append(v.get("state").asText());
                    }
                }
                out().println(line);
            }
            return Main.OK;
        }
    }

    /** {@code secrets keys rekey --to URI}: move a master key to a new root. */
    @Command(name = "rekey", description = {"Move a master key to a new root (file -> HSM, or a leaked root -> a fresh one):",
            "every key version is re-encrypted under the new root in one atomic write; afterwards the old",
            "root opens nothing in the store. Needs the current root (--key or configuration). If it was",
            "interrupted, run it again."},
            footer = {"", "Example:", "  secrets --key file:old.key keys rekey --to 'pkcs11:token=secrets;object=master?module-path=…&pin-source=env:HSM_PIN'"})
    static final class Rekey extends BaseCommand {
        @Option(names = "--to", required = true, paramLabel = "URI", description = "the new root's key URI")
        String to;

        @Option(names = "--key-name", paramLabel = "NAME", description = "the master key (default: default)")
        String keyName = "default";

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            int n;
            String provider;
            try (SecretsClient c = client()) {
                n = c.rekey(keyName, to);
                provider = c.describeMasterKey(keyName).provider();
            }
            if (output.json) {
                ObjectNode o = CliJson.JSON.createObjectNode();
                o.put("keyName", keyName);
                o.put("provider", provider);
                o.put("versions", n);
                printJson(o);
            } else {
                out().println("master key '" + keyName + "' (" + n + " versions) is now under its new " + provider
                        + " root; the old root opens nothing in this store. Configure the new key URI everywhere.");
            }
            return Main.OK;
        }
    }

    /** {@code secrets keys retire VERSION}: destroy an old key version. */
    @Command(name = "retire", description = {"Retire an old version of a master key: its material is destroyed, so data keys",
            "still under it can never be unwrapped again. Refused while values are under it (run",
            "'secrets rewrap' first) unless --force; the primary version cannot be retired."},
            footer = {"", "Example (after a root compromise):", "  secrets keys rotate && secrets rewrap && secrets keys retire 1",
                    "  then rotate every value itself (secrets rotate ID): the attacker may have read them."})
    static final class Retire extends BaseCommand {
        @Parameters(index = "0", paramLabel = "VERSION", description = "the key version to retire")
        int version;

        @Option(names = "--key-name", paramLabel = "NAME", description = "the master key (default: default)")
        String keyName = "default";

        @Option(names = "--force", description = "retire even though values are still under it (they become unreadable)")
        boolean force;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            MasterKeyDescription d;
            try (SecretsClient c = client()) {
                d = c.retireKeyVersion(keyName, version, force);
            }
            if (output.json) {
                ObjectNode o = CliJson.JSON.createObjectNode();
                o.put("keyName", keyName);
                o.put("retired", version);
                printJson(o);
            } else {
                out().println("version " + version + " of master key '" + keyName + "' is retired; versions: "
                        + d.versions().stream().map(v -> v.number() + "=" + v.state().name().toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
            return Main.OK;
        }
    }
}
