package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get} without picocli: every quick form answers exactly as picocli's command line does
 * (output, error line, exit status), and every other form is left to picocli.
 */
class QuickGetTest {
    @TempDir
    Path dir;

    private String store;
    private String key;

    private record Run(int status, String out, String err) {
    }

    private static Io io(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    }

    /** Through {@link Main#run}: the quick path when the arguments are of its form. */
    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, io(out, err));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Through picocli's command line only. */
    private static Run picocli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SecretsCommand.commandLine(io(out, err), args).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static boolean quick(String... args) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return QuickGet.run(args, io(sink, sink)) != QuickGet.NOT_QUICK;
    }

    @BeforeEach
    void aStoreWithTwoSecrets() throws Exception {
        store = "file:" + dir.resolve("store");
        Path keyFile = dir.resolve("master.key");
        assertThat(main("--store", store, "init", "--generate-key", keyFile.toString()).status()).isZero();
        key = "file:" + keyFile;
        Files.writeString(dir.resolve("db.json"), "{\"username\":\"app\",\"password\":\"quick-get-canary\"}");
        assertThat(main("--store", store, "--key", key, "create", "app/db", "--kind", "database", "--file",
                dir.resolve("db.json").toString()).status()).isZero();
        Files.writeString(dir.resolve("token.txt"), "t0ken-value");
        assertThat(main("--store", store, "--key", key, "create", "app/token", "--file", dir.resolve("token.txt").toString())
                .status()).isZero();
    }

    @Test
    void everyQuickForm_answersAsPicocliDoes() {
        List<String[]> forms = new ArrayList<>();
        forms.add(new String[] {"--store", store, "--key", key, "get", "app/token"});
        forms.add(new String[] {"--key=" + key, "--store=" + store, "get", "app/db", "--field", "password"});
        forms.add(new String[] {"--store", store, "--key", key, "get", "--field=username", "app/db"});
        forms.add(new String[] {"--store", store, "--key", key, "get", "app/db"});
        forms.add(new String[] {"--store", store, "--key", key, "get", "app/missing"}); // not found: exit 4
        forms.add(new String[] {"--store", store, "--key", key, "get", "app/token", "--field", "password"}); // not key/value: exit 1
        forms.add(new String[] {"--store", store, "--key", key, "get", "app/db", "--field", "nope"});
        forms.add(new String[] {"--store", store, "--key", "file:" + dir.resolve("no-such.key"), "get", "app/db"});
        forms.add(new String[] {"--store", store, "get", "app/db"}); // no key configured
        for (String[] args : forms) {
            assertThat(quick(args)).as(String.join(" ", args)).isTrue();
            Run viaMain = main(args);
            Run viaPicocli = picocli(args);
            assertThat(viaMain).as(String.join(" ", args)).isEqualTo(viaPicocli);
        }
        assertThat(main("--store", store, "--key", key, "get", "app/db", "--field", "password"))
                .isEqualTo(new Run(Main.OK, "quick-get-canary\n", ""));
        assertThat(main("--store", store, "--key", key, "get", "app/missing").status()).isEqualTo(Main.NOT_FOUND);
    }

    @Test
    void everyOtherForm_isLeftToPicocli() {
        String[][] others = {
            {"--store", store, "--key", key, "get", "app/db", "--json"},
            {"--store", store, "--key", key, "get", "app/db", "--label", "CURRENT"},
            {"--store", store, "--key", key, "--debug", "get", "app/db"},
            {"--store", store, "--store", store, "get", "app/db"},
            {"--store", store, "get", "app/db", "--key", key},
            {"--store", store, "--key", key, "get", "app/db", "app/token"},
            {"--store", store, "--key", key, "get", "app/db", "--field", "a", "--field", "b"},
            {"--store", store, "--key", key, "get", "--help"},
            {"--store", store, "--key", key, "get"},
            {"--store", store, "--key", key, "get", "--", "app/db"},
            {"--store", store, "--key", key, "get", "@args.txt"},
            {"--store", store, "--key", key, "get", "bad//id"},
            {"--store", "--key", "get", "app/db"},
            {"--store", store, "--key", key, "describe", "app/db"},
            {"get"},
            {},
        };
        for (String[] args : others) {
            assertThat(quick(args)).as(String.join(" ", args)).isFalse();
        }
        Run badId = main("--store", store, "--key", key, "get", "bad//id");
        assertThat(badId.status()).isEqualTo(Main.USAGE);
        assertThat(badId).isEqualTo(picocli("--store", store, "--key", key, "get", "bad//id"));
        assertThat(main("--store", store, "--key", key, "get", "app/db", "--json").out()).contains("\"password\" : \"quick-get-canary\"");
    }
}
