package dev.secrets.cli;

import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;

/** Audit sinks of the CLI's clients. */
final class Audit {
    private Audit() {
    }

    /** Adds the audit sinks the configuration asks for. */
    static void addSinks(SecretsClient.Builder builder, SecretsConfig config) {
        // The JSON-lines file sink (secrets.audit.log) is wired here once it is part of core.
    }
}
