package dev.secrets.server.clients;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a client program installed from its own registry (the AWS CLI, Python with boto3, Node) as a
 * separate process with a clean environment: only what the client's documentation says to set, so
 * no developer's {@code ~/.aws} or {@code AWS_*} variable leaks in. A missing program fails under
 * {@code CI=true} (naming it) and skips otherwise.
 */
final class ExternalClient {
    /** What the process printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        String out() {
            return stdout.strip();
        }
    }

    private final Path program;
    private final Map<String, String> env;
    private final Path workDir;

    ExternalClient(Path program, Map<String, String> env, Path workDir) {
        this.program = program;
        this.env = env;
        this.workDir = workDir;
    }

    /** The first of {@code candidates} that is an executable file, else fails (CI) or skips. */
    static Path require(String what, String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = what + " is not installed (looked for " + String.join(", ", candidates)
                + "); ./test installs it on Debian";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within 180 s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs and requires exit code 0, showing stderr otherwise. */
    Result ok(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            fail(String.join(" ", args) + " exited " + r.exitCode() + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr());
        }
        return r;
    }

    private static CompletableFuture<String> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }
}
