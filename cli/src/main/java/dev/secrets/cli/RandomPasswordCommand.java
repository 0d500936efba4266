package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import java.security.SecureRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code secrets random-password}: a password with AWS GetRandomPassword's options, from a {@link SecureRandom}. */
@Command(name = "random-password", sortOptions = false, description = "Print a random password (the options of AWS GetRandomPassword).",
        footer = {"", "Examples:", "  secrets random-password --length 40 --exclude-punctuation",
                "  secrets random-password | secrets put prod/api-token"})
final class RandomPasswordCommand extends BaseCommand {
    @Option(names = "--length", paramLabel = "N", description = "length (default 32)")
    int length = RandomPassword.DEFAULT_LENGTH;

    @Option(names = "--exclude-characters", paramLabel = "CHARS", description = "characters never to use")
    String excludeCharacters;

    @Option(names = "--exclude-numbers", description = "no digits")
    boolean excludeNumbers;

    @Option(names = "--exclude-punctuation", description = "no punctuation")
    boolean excludePunctuation;

    @Option(names = "--exclude-uppercase", description = "no upper-case letters")
    boolean excludeUppercase;

    @Option(names = "--exclude-lowercase", description = "no lower-case letters")
    boolean excludeLowercase;

    @Option(names = "--include-space", description = "may contain spaces")
    boolean includeSpace;

    @Option(names = "--require-each-included-type", negatable = true, description = "at least one character of each included type (default true)")
    boolean requireEach = true;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        RandomPassword generator;
        try {
            RandomPassword.Builder b = RandomPassword.builder().length(length).excludeNumbers(excludeNumbers)
                    .excludePunctuation(excludePunctuation).excludeUppercase(excludeUppercase).excludeLowercase(excludeLowercase)
                    .includeSpace(includeSpace).requireEachIncludedType(requireEach);
            if (excludeCharacters != null) {
                b.excludeCharacters(excludeCharacters);
            }
            generator = b.build();
        } catch (InvalidSecretException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String password = generator.generate(new SecureRandom());
        if (output.json) {
            ObjectNode n = CliJson.JSON.createObjectNode();
            n.put("password", password);
            printJson(n);
        } else {
            out().println(password);
        }
        return Main.OK;
    }
}
