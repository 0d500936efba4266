package dev.secrets.server.testing;

import dev.secrets.testing.IsolatedConfig;
import dev.secrets.SecretsClient;
import dev.secrets.server.AccessKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server in a child JVM ({@link ServerMain}) on 127.0.0.1 and a free port: bounded by its own
 * {@code -Xmx}, measurable ({@link #heap()}), and killable with SIGKILL ({@link #kill()}) as an
 * operator's {@code kill -9} would. Its standard error goes to {@code target/server-process-PID.log}.
 */
public final class ServerProcess implements AutoCloseable {
    /** What the child said about its heap: the most ever used, the {@code -Xmx} bound, its collectors. */
    public record Heap(long peakUsed, long max, String collectors) {
    }

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final URI endpoint;

    private ServerProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String line = out.readLine();
        while (line != null && !line.startsWith("listening ")) {
            line = out.readLine(); // anything a library printed first
        }
        if (line == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the server process did not start (first line: " + line + "); see its log");
        }
        this.endpoint = URI.create(line.substring("listening ".length()));
    }

    /**
     * Starts a server over {@code storeUri} with the test master key, the value cache given, and
     * {@code jvmOptions} (such as {@code -Xmx256m}).
     */
    public static ServerProcess start(String storeUri, Duration cacheTtl, int cacheSize, String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ServerMain.class.getName());
        cmd.add(storeUri);
        cmd.add(cacheTtl.toString());
        cmd.add(Integer.toString(cacheSize));
        try {
            Path log = Files.createTempFile(Path.of("target"), "server-process-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SECRETS_"));
            return new ServerProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates an access key on {@code storeUri} (with the test master key) before a server process is started on it. */
    public static AccessKeys.Pair createKey(String storeUri, String name, String policy) {
        try (SecretsClient c = SecretsClient.builder().config(IsolatedConfig.get()).store(storeUri)
                .masterKey("default", ServerFixture.masterKey()).build()) {
            return new AccessKeys(c).create(name, policy);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    /** The child's heap so far (asks it; the answer includes its use at this moment). */
    public synchronized Heap heap() {
        String line = ask("heap");
        String[] p = line.split(" ");
        return new Heap(Long.parseLong(p[1]), Long.parseLong(p[2]), p[3]);
    }

    private String ask(String command) {
        try {
            in.write(command + "\n");
            in.flush();
            String line = out.readLine();
            while (line != null && !line.startsWith(command + " ")) {
                line = out.readLine(); // anything a library printed meanwhile
            }
            if (line == null) {
                throw new IllegalStateException("the server process ended");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no close; waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the server process outlived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server as SIGTERM would (requests in flight finish) and waits for the process. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            in.write("stop\n");
            in.flush();
            in.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
