package dev.secrets.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Process, file and port plumbing shared by the database fixtures. Package-private: the fixtures
 * are the public surface.
 *
 * <p>Stateless; every method is safe to call from any thread.
 */
final class ServerSupport {

    /** Only address the servers listen on. */
    static final String LOOPBACK = "127.0.0.1";

    /** Lines of a server log quoted in an exception when a start fails. */
    private static final int TAIL_LINES = 40;

    /** How long to wait between two readiness probes; the wait ends early if the server dies. */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);

    /** Starts that lost the race for their port (someone else bound it first) are retried this often. */
    private static final int PORT_ATTEMPTS = 3;

    private static final char[] PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final System.Logger LOG = System.getLogger(ServerSupport.class.getName());

    private ServerSupport() {
    }

    /** A readiness check: opens a connection to the server, or fails with the driver's error. */
    @FunctionalInterface
    interface Probe {
        Connection connect() throws SQLException;
    }

    /** A server process and the port it really listens on. */
    record Started(Process process, int port) {
    }

    /** The command that installs what the tests need and runs them: named by every "not installed" failure. */
    static final String SETUP_COMMAND = "./test";

    /**
     * The exception to throw when a server cannot run on this machine: always a failure, in CI or
     * not, whose one-line message names the command that installs the server and runs the tests
     * (a skipped database test would let a build pass that tested nothing of it).
     */
    static RuntimeException unavailable(String reason) {
        return new IllegalStateException(reason + "; run " + SETUP_COMMAND + " (installs it, then runs ./mvnw verify)");
    }

    /** Whether this JVM runs as the superuser, in which case the databases must run as another user. */
    static boolean runningAsRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** Whether an OS user of that name exists. */
    static boolean osUserExists(String user) {
        try {
            UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            lookup.lookupPrincipalByName(user);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first executable file among {@code names} in {@code dirs}, then in the {@code PATH}. */
    static Optional<Path> findExecutable(List<String> names, List<Path> dirs) {
        List<Path> searched = new ArrayList<>(dirs);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    searched.add(Path.of(entry));
                }
            }
        }
        for (String name : names) {
            for (Path dir : searched) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Prefixes {@code command} so that it runs as {@code osUser}, or returns it unchanged when
     * {@code osUser} is {@code null}.
     */
    static List<String> runAs(String osUser, List<String> command) {
        if (osUser == null) {
            return command;
        }
        Path runuser = findExecutable(List.of("runuser"), List.of(Path.of("/usr/sbin"), Path.of("/sbin")))
                .orElseThrow(() -> new IllegalStateException(
                        "runuser (util-linux) is needed to run " + command.get(0) + " as " + osUser
                                + " because this JVM runs as root"));
        List<String> wrapped = new ArrayList<>(List.of(runuser.toString(), "-u", osUser, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Creates a fresh private directory for one server, owned by {@code owner} when given (this JVM
     * then runs as root), inside a temporary directory that {@code owner} can traverse.
     */
    static Path createWorkDir(String prefix, String owner) throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        if (owner != null && !traversableByOthers(base)) {
            // A server running as another user must reach its directory through every parent.
            base = Path.of("/tmp");
            if (!traversableByOthers(base)) {
                throw new IllegalStateException("no temporary directory that user " + owner
                        + " can traverse; tried java.io.tmpdir and /tmp");
            }
        }
        Path dir = Files.createTempDirectory(base, prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (owner != null) {
            chown(dir, owner);
        }
        return dir;
    }

    private static boolean traversableByOthers(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath().toRealPath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    /** Gives {@code path} to {@code user} and, when it exists, the group of the same name. */
    static void chown(Path path, String user) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName(user));
        try {
            view.setGroup(lookup.lookupPrincipalByGroupName(user));
        } catch (IOException noSuchGroup) {
            // The owner alone is enough: the directories are private to that user.
        }
    }

    /** Writes {@code content} to a new file readable only by its owner ({@code owner} when given). */
    static void writePrivateFile(Path file, String content, String owner) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
        if (owner != null) {
            chown(file, owner);
        }
    }

    /** A free TCP port on the loopback address; another process may still take it before we bind it. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    /** A random password of 24 letters and digits (about 140 bits), easy to quote in any SQL dialect. */
    static String randomPassword() {
        char[] chars = new char[24];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = PASSWORD_ALPHABET[RANDOM.nextInt(PASSWORD_ALPHABET.length)];
        }
        return new String(chars);
    }

    /**
     * Runs a one-shot command (such as initdb) to completion, its output going to {@code log}.
     *
     * @throws IllegalStateException if it fails or outlives {@code timeout}; the message quotes the
     *     end of the log
     */
    static void runToCompletion(String what, List<String> command, Path workDir, Path log, Duration timeout)
            throws IOException {
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process);
                throw new IllegalStateException(what + " did not finish within " + timeout + tail(log));
            }
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed with exit status " + process.exitValue() + tail(log));
        }
    }

    /**
     * Starts a server on a free port and waits until {@code probe} connects, retrying with another
     * port when the chosen one was taken in the meantime.
     *
     * @param command the server command line for a given port
     * @param probe a connection attempt to the server on a given port
     * @throws IllegalStateException if the server exits or is not ready within {@code timeout};
     *     the message quotes the end of the log
     */
    static Started startOnFreePort(String what, IntFunction<List<String>> command, IntFunction<Probe> probe,
            Path workDir, Path log, Duration timeout) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process process = new ProcessBuilder(command.apply(port))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
            try {
                awaitReady(what, process, probe.apply(port), log, timeout);
                return new Started(process, port);
            } catch (RuntimeException e) {
                boolean exitedByItself = !process.isAlive();
                destroyTree(process);
                if (attempt < PORT_ATTEMPTS && exitedByItself && logMentionsPortInUse(log)) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static boolean logMentionsPortInUse(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1).contains("Address already in use");
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitReady(String what, Process process, Probe probe, Path log, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with status " + process.exitValue()
                        + " while starting" + tail(log), last);
            }
            try {
                probe.connect().close();
                return;
            } catch (SQLException e) {
                if (isAuthenticationFailure(e)) {
                    // Waiting will not fix a refused login: the server is up but not set up as expected.
                    throw new IllegalStateException(what + " refused the superuser login: " + e.getMessage()
                            + tail(log), e);
                }
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(what + " did not accept connections within " + timeout
                        + (last == null ? "" : "; last error: " + last.getMessage()) + tail(log), last);
            }
            try {
                // Returns at once if the server dies, so a crash is reported without waiting.
                process.waitFor(PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Login refused: SQLState class 28 (PostgreSQL 28P01/28000, MariaDB 28000 with error 1045). */
    static boolean isAuthenticationFailure(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("28")) || e.getErrorCode() == 1045;
    }

    /** Waits up to {@code grace} for {@code process} to end, then kills it and its children. */
    static void awaitExit(Process process, Duration grace) {
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destroyTree(process);
    }

    /** Kills a process and every process it started, at once. */
    static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of {@code log}, formatted to end an exception message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return "\n--- last " + last.size() + " lines of " + log + " ---\n" + String.join("\n", last);
        } catch (IOException e) {
            return "\n(no log at " + log + ": " + e + ")";
        }
    }

    /** Deletes a directory tree, best effort: what cannot be deleted is reported and left. */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + dir, e);
        }
    }
}
