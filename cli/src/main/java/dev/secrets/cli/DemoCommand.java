package dev.secrets.cli;

import picocli.CommandLine.Command;

/** {@code secrets demo}: the project's main job on embedded defaults. */
@Command(name = "demo", description = "Run the demo.")
final class DemoCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new CliException("the demo is not built yet");
    }
}
