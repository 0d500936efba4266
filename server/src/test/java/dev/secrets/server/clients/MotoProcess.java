package dev.secrets.server.clients;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code moto_server} (moto, an independent Python implementation of the AWS APIs) started for one
 * test on a free loopback port, stopped by {@link #close}. Missing, it fails the test under
 * {@code CI=true} (naming it) and skips it otherwise.
 */
final class MotoProcess implements AutoCloseable {
    private final Process process;
    private final URI endpoint;

    private MotoProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static MotoProcess start(Path logDir) throws Exception {
        Path exe = find();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = logDir.resolve("moto.log");
        Process p = new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("moto_server did not start on port " + port + ": " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
        return new MotoProcess(p, URI.create("http://127.0.0.1:" + port));
    }

    URI endpoint() {
        return endpoint;
    }

    private static Path find() {
        String[] dirs = System.getenv().getOrDefault("PATH", "").split(File.pathSeparator);
        String[] candidates = new String[dirs.length];
        for (int i = 0; i < dirs.length; i++) {
            candidates[i] = Path.of(dirs[i], "moto_server").toString();
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        String message = "moto_server is not on the PATH (pip install 'moto[server]'); the moto comparison needs it";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true, so this is a failure, not a skipped test)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
