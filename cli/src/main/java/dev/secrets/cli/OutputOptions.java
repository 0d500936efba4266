package dev.secrets.cli;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output with stable field names, for scripts. */
final class OutputOptions {
    @Option(names = "--json", description = "print JSON (stable field names) instead of text")
    boolean json;
}
