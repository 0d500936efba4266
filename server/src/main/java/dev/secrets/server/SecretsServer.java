package dev.secrets.server;

import dev.secrets.SecretsClient;
import dev.secrets.server.internal.api.ArnKey;
import dev.secrets.server.internal.api.Arns;
import dev.secrets.server.internal.api.Context;
import dev.secrets.server.internal.api.Dispatcher;
import dev.secrets.server.internal.auth.AccessKeyStore;
import dev.secrets.server.internal.auth.Authenticator;
import dev.secrets.server.internal.auth.SigV4Verifier;
import dev.secrets.server.internal.http.HttpFront;
import dev.secrets.server.internal.http.Metrics;
import dev.secrets.server.internal.http.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * {@code secrets serve}: the AWS Secrets Manager JSON 1.1 API over one {@link SecretsClient}, so
 * the unchanged AWS SDKs and CLI read and write the client's store. Every request is verified
 * (SigV4) against the access keys kept in the store ({@link AccessKeys}) and authorised by the key's
 * policy; the audit principal of everything a request does is the key's name.
 *
 * <p>Start with {@link #start(SecretsClient, ServerConfig)}; {@link #close()} stops accepting,
 * finishes in-flight requests (up to 30 s) and leaves the client open (its owner closes it).
 * Thread-safe.
 */
public final class SecretsServer implements AutoCloseable {
    private final HttpFront front;
    private final ServerConfig config;

    private SecretsServer(HttpFront front, ServerConfig config) {
        this.front = front;
        this.config = config;
    }

    /** Starts a server with the system clock. */
    public static SecretsServer start(SecretsClient client, ServerConfig config) {
        return start(client, config, Clock.systemUTC(), System::nanoTime);
    }

    /**
     * Starts a server; {@code clock} judges the signatures' dates, {@code ticker} (nanoseconds)
     * times the access-key and resource-policy caches.
     */
    public static SecretsServer start(SecretsClient client, ServerConfig config, Clock clock, LongSupplier ticker) {
        Objects.requireNonNull(client, "client");
        SecureRandom random = new SecureRandom();
        long ttl = config.accessKeyTtl().toNanos();
        Arns arns = new Arns(config.region(), config.account(), ArnKey.loadOrCreate(client, random));
        Context ctx = new Context(client, arns, config.region(), config.account(), random, ttl, ticker, clock);
        AccessKeyStore keys = new AccessKeyStore(client, random, ttl, ticker);
        Authenticator auth = new Authenticator(new SigV4Verifier(config.region(), "secretsmanager", clock), keys, client);
        try {
            HttpFront front = new HttpFront(new InetSocketAddress(config.address(), config.port()),
                    config.tls() ? Pem.serverContext(config.tlsCert(), config.tlsKey()) : null, config.threads(),
                    new Dispatcher(ctx), auth, new Metrics(), () -> healthy(client));
            return new SecretsServer(front, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.address() + ":" + config.port(), e);
        }
    }

    private static boolean healthy(SecretsClient client) {
        try {
            client.checkStore();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return front.port();
    }

    /** The endpoint to give the AWS SDK's {@code endpointOverride}. */
    public URI endpoint() {
        String host = config.address().contains(":") ? "[" + config.address() + "]" : config.address();
        return URI.create((config.tls() ? "https" : "http") + "://" + host + ":" + port());
    }

    @Override
    public void close() {
        front.stop(30);
    }

    @Override
    public String toString() {
        return "SecretsServer[" + endpoint() + "]";
    }
}
