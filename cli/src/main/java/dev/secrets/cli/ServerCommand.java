package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretsClient;
import dev.secrets.server.AccessKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secrets server access-key …}: the access keys of {@code secrets serve}, kept in the store. */
@Command(name = "server", description = "Manage what 'secrets serve' needs in the store.",
        subcommands = {ServerCommand.AccessKey.class})
final class ServerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: access-key");
    }

    @Command(name = "access-key", description = "Access keys of 'secrets serve': each a name, a policy (IAM JSON) and a key pair.",
            subcommands = {Create.class, ListKeys.class, Disable.class, Enable.class, Delete.class, Rotate.class, SetPolicy.class})
    static final class AccessKey implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give a subcommand: create, list, disable, enable, delete, rotate or set-policy");
        }
    }

    static String readPolicy(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read the policy file " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Prints a pair: the only time the secret access key is shown. */
    static void printPair(BaseCommand c, AccessKeys.Pair p, boolean json) {
        if (json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("name", p.name());
            n.put("accessKeyId", p.accessKeyId());
            n.put("secretAccessKey", p.secretAccessKey());
            c.printJson(n);
        } else {
            c.out().println("name:              " + p.name());
            c.out().println("access key ID:     " + p.accessKeyId());
            c.out().println("secret access key: " + p.secretAccessKey());
            c.err().println("(the secret access key is shown only now)");
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = CliJson.JSON;

    @Command(name = "create", description = "Create an access key and print its pair once.",
            footer = {"", "Example:", "  secrets server access-key create app-reader --policy reader.json"})
    static final class Create extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "the key's name: the audit principal of its requests")
        String name;

        @Option(names = "--policy", paramLabel = "FILE", required = true, description = "policy in IAM's JSON grammar")
        Path policy;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            String doc = readPolicy(policy);
            try (SecretsClient c = client()) {
                printPair(this, new AccessKeys(c).create(name, doc), output.json);
            }
            return Main.OK;
        }
    }

    @Command(name = "list", description = "List access keys (never their secrets).",
            footer = {"", "Example:", "  secrets server access-key list --json"})
    static final class ListKeys extends BaseCommand {
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            try (SecretsClient c = client()) {
                java.util.List<AccessKeys.Info> keys = new AccessKeys(c).list();
                if (output.json) {
                    ArrayNode a = CliJson.JSON.createArrayNode();
                    for (AccessKeys.Info i : keys) {
                        a.addObject().put("name", i.name()).put("accessKeyId", i.accessKeyId())
                                .put("enabled", i.enabled()).put("created", i.created().toString());
                    }
                    try {
                        out().println(CliJson.JSON.writeValueAsString(a));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new CliException("could not write JSON output", e);
                    }
                } else {
                    for (AccessKeys.Info i : keys) {
                        out().println(i.name() + "\t" + i.accessKeyId() + "\t" + (i.enabled() ? "enabled" : "disabled") + "\t" + i.created());
                    }
                }
            }
            return Main.OK;
        }
    }

    abstract static class ByName extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "the key's name")
        String name;
    }

    @Command(name = "disable", description = "Disable an access key: its requests are refused (within the servers' access-key TTL).",
            footer = {"", "Example:", "  secrets server access-key disable app-reader"})
    static final class Disable extends ByName {
        @Override
        public Integer call() {
            try (SecretsClient c = client()) {
                new AccessKeys(c).disable(name);
            }
            return Main.OK;
        }
    }

    @Command(name = "enable", description = "Enable a disabled access key.",
            footer = {"", "Example:", "  secrets server access-key enable app-reader"})
    static final class Enable extends ByName {
        @Override
        public Integer call() {
            try (SecretsClient c = client()) {
                new AccessKeys(c).enable(name);
            }
            return Main.OK;
        }
    }

    @Command(name = "delete", description = "Delete an access key at once.",
            footer = {"", "Example:", "  secrets server access-key delete app-reader"})
    static final class Delete extends ByName {
        @Override
        public Integer call() {
            try (SecretsClient c = client()) {
                new AccessKeys(c).delete(name);
            }
            return Main.OK;
        }
    }

    @Command(name = "rotate", description = "Give an access key a new secret (same ID); print the new pair once.",
            footer = {"", "Example:", "  secrets server access-key rotate app-reader"})
    static final class Rotate extends ByName {
        @Option(names = "--policy", paramLabel = "FILE", description = "also replace the policy")
        Path policy;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            try (SecretsClient c = client()) {
                AccessKeys keys = new AccessKeys(c);
                if (policy != null) {
                    keys.setPolicy(name, readPolicy(policy));
                }
                printPair(this, keys.rotate(name), output.json);
            }
            return Main.OK;
        }
    }

    @Command(name = "set-policy", description = "Replace the policy of an access key.",
            footer = {"", "Example:", "  secrets server access-key set-policy app-reader --policy reader.json"})
    static final class SetPolicy extends ByName {
        @Option(names = "--policy", paramLabel = "FILE", required = true, description = "policy in IAM's JSON grammar")
        Path policy;

        @Override
        public Integer call() {
            try (SecretsClient c = client()) {
                new AccessKeys(c).setPolicy(name, readPolicy(policy));
            }
            return Main.OK;
        }
    }
}
