package dev.secrets.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code secrets completion}: the bash/zsh completion script. */
@Command(name = "completion", description = "Print a bash/zsh completion script for secrets.",
        footer = {"", "Example:", "  source <(secrets completion)     # or: secrets completion > /etc/bash_completion.d/secrets"})
final class CompletionCommand extends BaseCommand {
    @Override
    public Integer call() {
        out().print(AutoComplete.bash("secrets", spec.root().commandLine()));
        out().flush();
        return Main.OK;
    }
}
