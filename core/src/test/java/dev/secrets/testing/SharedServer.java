package dev.secrets.testing;

import java.util.function.Supplier;

/**
 * One server per JVM: started by the first {@link #get()}, stopped by a JVM shutdown hook.
 *
 * <p>A failed start is remembered, so that the test classes after the first one fail at once with
 * the same cause instead of each waiting for a start that cannot succeed.
 *
 * <p>Thread-safe: concurrent first calls start the server once.
 *
 * @param <T> the running server; {@link AutoCloseable#close()} stops it and deletes its files
 */
final class SharedServer<T extends AutoCloseable> {

    private final String description;
    private final Supplier<T> starter;
    private T server;
    private RuntimeException failure;

    SharedServer(String description, Supplier<T> starter) {
        this.description = description;
        this.starter = starter;
    }

    /** The running server, started now if this is the first call of the JVM. */
    synchronized T get() {
        if (server != null) {
            return server;
        }
        if (failure != null) {
            throw new IllegalStateException(description + " failed to start earlier in this JVM: "
                    + failure.getMessage(), failure);
        }
        T started;
        try {
            started = starter.get();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), description + " shutdown"));
        server = started;
        return started;
    }

    /** The running server, or {@code null} if it has not been started (never starts it). */
    synchronized T peek() {
        return server;
    }

    private void stop(T started) {
        try {
            started.close();
        } catch (Exception e) {
            System.getLogger(SharedServer.class.getName())
                    .log(System.Logger.Level.WARNING, "could not stop " + description, e);
        }
    }
}
