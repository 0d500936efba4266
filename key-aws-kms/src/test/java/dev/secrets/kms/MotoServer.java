package dev.secrets.kms;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * moto's KMS ({@code moto_server}, an independent Python implementation of the AWS protocols),
 * started on a free loopback port for the tests of one JVM and stopped when it exits. Missing
 * {@code moto_server} skips the tests, or fails them when {@code CI=true}. Sets dummy AWS
 * credentials as system properties, the first source of the SDK's default chain.
 */
final class MotoServer {
    private static URI endpoint;

    private MotoServer() {
    }

    static synchronized URI start() throws Exception {
        if (endpoint != null) {
            return endpoint;
        }
        endpoint = launch(-1).endpoint();
        return endpoint;
    }

    /** A moto of its own, stopped by {@link Instance#close()}. */
    record Instance(Process process, URI endpoint) implements AutoCloseable {
        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /**
     * A separate moto that enforces IAM after its first {@code freeRequests} requests (moto's
     * {@code INITIAL_NO_AUTH_ACTION_COUNT}): requests then need an IAM user's access key and are
     * allowed only as that user's policies say.
     */
    static Instance startEnforcingIam(int freeRequests) throws Exception {
        return launch(freeRequests);
    }

    private static Instance launch(int freeRequests) throws Exception {
        String exe = find();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto", ".log");
        ProcessBuilder pb = new ProcessBuilder(exe, "-H", "127.0.0.1", "-p", Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (freeRequests >= 0) {
            pb.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", Integer.toString(freeRequests));
        }
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("moto_server did not start on port " + port + ": " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        return new Instance(p, URI.create("http://127.0.0.1:" + port));
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "moto_server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String reason = "moto_server is not on the PATH (pip install 'moto[server]'); the aws-kms: tests need moto's KMS";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(reason + " (CI=true, so this is an error, not a skipped test)");
        }
        throw new TestAbortedException(reason + " (with CI=true this would be an error)");
    }
}
