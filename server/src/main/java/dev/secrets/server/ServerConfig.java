package dev.secrets.server;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretsConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code secrets serve} listens: the {@code secrets.server.*} keys of the configuration chain
 * (docs/server.md). Immutable; validated when built: a plain-HTTP server on a non-loopback address
 * is refused unless {@code insecure-http} is set, a certificate needs its key, the account is 12
 * digits.
 */
public final class ServerConfig {
    public static final String ADDRESS = "secrets.server.address";
    public static final String PORT = "secrets.server.port";
    public static final String TLS_CERT = "secrets.server.tls.cert";
    public static final String TLS_KEY = "secrets.server.tls.key";
    public static final String INSECURE_HTTP = "secrets.server.insecure-http";
    public static final String REGION = "secrets.server.region";
    public static final String ACCOUNT = "secrets.server.account";
    public static final String ACCESS_KEY_TTL = "secrets.server.access-key-ttl";
    public static final String THREADS = "secrets.server.threads";

    private final String address;
    private final int port;
    private final Path tlsCert;
    private final Path tlsKey;
    private final boolean insecureHttp;
    private final String region;
    private final String account;
    private final Duration accessKeyTtl;
    private final int threads;

    private ServerConfig(Builder b) {
        this.address = b.address;
        this.tlsCert = b.tlsCert;
        this.tlsKey = b.tlsKey;
        this.insecureHttp = b.insecureHttp;
        this.region = b.region;
        this.account = b.account;
        this.accessKeyTtl = b.accessKeyTtl;
        this.threads = b.threads;
        this.port = b.port != null ? b.port : (tlsCert != null ? 8443 : 8080);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ConfigurationException("set both " + TLS_CERT + " and " + TLS_KEY + ", or neither");
        }
        if (!account.matches("\\d{12}")) {
            throw new ConfigurationException(ACCOUNT + " must be 12 digits");
        }
        if (!region.matches("[a-z0-9-]{1,32}")) {
            throw new ConfigurationException(REGION + " must be a region name such as us-east-1");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigurationException(PORT + " must be 0 to 65535");
        }
        if (tlsCert == null && !insecureHttp && !loopback(address)) {
            throw new ConfigurationException("plain HTTP on " + address + " would send secret values unencrypted: set "
                    + TLS_CERT + " and " + TLS_KEY + ", listen on 127.0.0.1, or set " + INSECURE_HTTP + "=true");
        }
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigurationException("unknown address " + address + " in " + ADDRESS);
        }
    }

    /** The server configuration in {@code config}'s chain. */
    public static ServerConfig from(SecretsConfig config) {
        Builder b = builder();
        config.get(ADDRESS).ifPresent(b::address);
        config.get(PORT).ifPresent(p -> b.port(config.integer(PORT, 0, 0)));
        config.get(TLS_CERT).ifPresent(c -> b.tlsCert(Path.of(c)));
        config.get(TLS_KEY).ifPresent(k -> b.tlsKey(Path.of(k)));
        b.insecureHttp(config.bool(INSECURE_HTTP, false));
        config.get(REGION).ifPresent(b::region);
        config.get(ACCOUNT).ifPresent(b::account);
        b.accessKeyTtl(config.duration(ACCESS_KEY_TTL, Duration.ofSeconds(10)));
        b.threads(config.integer(THREADS, 64, 1));
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public Path tlsCert() {
        return tlsCert;
    }

    public Path tlsKey() {
        return tlsKey;
    }

    public boolean tls() {
        return tlsCert != null;
    }

    public String region() {
        return region;
    }

    public String account() {
        return account;
    }

    public Duration accessKeyTtl() {
        return accessKeyTtl;
    }

    public int threads() {
        return threads;
    }

    @Override
    public String toString() {
        return "ServerConfig[" + (tls() ? "https" : "http") + "://" + address + ":" + port + ", region " + region
                + ", account " + account + "]";
    }

    /** Builds a {@link ServerConfig}; defaults as in docs/server.md. Not thread-safe. */
    public static final class Builder {
        private String address = "127.0.0.1";
        private Integer port;
        private Path tlsCert;
        private Path tlsKey;
        private boolean insecureHttp;
        private String region = "us-east-1";
        private String account = "000000000000";
        private Duration accessKeyTtl = Duration.ofSeconds(10);
        private int threads = 64;

        public Builder address(String a) {
            this.address = Objects.requireNonNull(a);
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        public Builder tlsCert(Path p) {
            this.tlsCert = p;
            return this;
        }

        public Builder tlsKey(Path p) {
            this.tlsKey = p;
            return this;
        }

        public Builder insecureHttp(boolean b) {
            this.insecureHttp = b;
            return this;
        }

        public Builder region(String r) {
            this.region = Objects.requireNonNull(r);
            return this;
        }

        public Builder account(String a) {
            this.account = Objects.requireNonNull(a);
            return this;
        }

        public Builder accessKeyTtl(Duration d) {
            this.accessKeyTtl = Objects.requireNonNull(d);
            return this;
        }

        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
