package dev.secrets.jdbc.internal;

import dev.secrets.DatabaseCredentials;
import dev.secrets.InvalidSecretException;
import dev.secrets.JdbcSettings;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretScheduledForDeletionException;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import dev.secrets.spi.DatabaseDialect;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connects through the real driver with credentials from a secret, re-reading the secret and
 * retrying when the database refuses the login. Thread-safe.
 */
public final class Connector {
    /** Connection property (also a URL parameter) naming the secret; otherwise the {@code user} property does. */
    public static final String SECRET_ID = "secretId";

    private static final Logger LOG = Logger.getLogger("dev.secrets.jdbc");

    /** Parsed URLs by their text: an application connects with a handful of URLs, each many times. */
    private static final int PARSED_URLS_MAX = 256;

    /** Connection properties the real driver never gets from the caller: it gets the secret's user and password. */
    private static final Set<String> NOT_PASSED = Set.of(SECRET_ID, "user", "password");

    private final Profiles profiles = new Profiles();
    private final ConcurrentHashMap<String, SecretsUrl> parsedUrls = new ConcurrentHashMap<>();
    private final RealDrivers drivers;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    /** Waits between retries; injected so that tests of the retry budget run on a clock of their own. */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits {@code nanos} nanoseconds (or until interrupted). */
        void sleep(long nanos) throws InterruptedException;

        /** {@link Thread#sleep(long, int)}. */
        Sleeper THREAD = nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }

    /** @param wrapper the wrapping driver's class, never taken for a real driver */
    public Connector(Class<? extends Driver> wrapper) {
        this(wrapper, System::nanoTime, Sleeper.THREAD);
    }

    /**
     * @param nanoTime the clock of the retry budget, in nanoseconds ({@link System#nanoTime()})
     * @param sleeper  how to wait between retries
     */
    public Connector(Class<? extends Driver> wrapper, LongSupplier nanoTime, Sleeper sleeper) {
        this.drivers = new RealDrivers(wrapper);
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** Connects; see {@link dev.secrets.jdbc.SecretsDriver} for the contract. */
    public Connection connect(String url, Properties info) throws SQLException {
        SecretsUrl parsed = parse(url);
        Properties props = info != null ? info : new Properties();
        String secretId = secretId(url, parsed, props);
        if (secretId == null) {
            throw new SQLException("jdbc:secrets: no secret ID for " + Masking.url(url) + ": set the user (or secretId) property, "
                    + "or the secretId URL parameter, to the ID of the secret that holds the database credentials", "28000");
        }
        Properties pass = new Properties();
        Map<String, String> settings = Profiles.split(props, pass, NOT_PASSED);
        Profile profile = profiles.forSettings(settings);
        DatabaseDialect dialect = DatabaseDialect.of(parsed.subprotocol());

        // A missing driver is a deployment error: report it before touching the store when the URL is known.
        Driver driver = parsed.endpointForm() ? null : drivers.forUrl(parsed.subprotocol(), parsed.realUrl());
        DatabaseCredentials creds = read(profile, secretId, false);
        String realUrl = realUrl(parsed, dialect, creds, secretId);
        if (!parsed.endpointForm() && !profile.allowOtherHost()) {
            HostPinning.check(realUrl, pass, creds, secretId, parsed.subprotocol());
        }
        if (driver == null) {
            driver = drivers.forUrl(parsed.subprotocol(), realUrl);
        }

        long start = nanoTime.getAsLong();
        long deadline = start + profile.retryBudget().toNanos();
        int retries = 0;
        int delays = 0;
        while (true) {
            pass.setProperty("user", creds.username());
            pass.setProperty("password", creds.password());
            SQLException failure;
            try {
                Connection c = driver.connect(realUrl, pass);
                if (c == null) {
                    throw new SQLException("jdbc:secrets: the " + parsed.subprotocol() + " driver did not accept " + Masking.url(realUrl), "08001");
                }
                if (retries > 0 && LOG.isLoggable(Level.FINE)) {
                    LOG.fine("connected to " + Masking.url(realUrl) + " with secret '" + secretId + "' version " + creds.versionId()
                            + " after " + retries + " retries");
                }
                return c;
            } catch (SQLException e) {
                if (!dialect.isLoginFailure(e)) {
                    throw e;
                }
                failure = e;
            }
            if (retries >= profile.maxRetries() || nanoTime.getAsLong() >= deadline) {
                throw refused(realUrl, secretId, creds, retries, start, profile, failure);
            }
            retries++;
            DatabaseCredentials fresh = readAfterFailure(profile, secretId, failure);
            if (fresh.versionId().equals(creds.versionId())) {
                // The store has nothing newer: the database may be a moment ahead of (or behind) the store
                // in a rotation. Wait, then look again.
                Duration wait = Backoff.delay(++delays);
                long left = deadline - nanoTime.getAsLong();
                if (left <= 0) {
                    throw refused(realUrl, secretId, creds, retries - 1, start, profile, failure);
                }
                sleep(Math.min(wait.toNanos(), left), failure);
                fresh = readAfterFailure(profile, secretId, failure);
            }
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("login to " + Masking.url(realUrl) + " refused (SQLState " + failure.getSQLState() + "); retry " + retries
                        + " with secret '" + secretId + "' version " + fresh.versionId());
            }
            creds = fresh;
            if (parsed.endpointForm()) {
                realUrl = realUrl(parsed, dialect, creds, secretId);
            } else if (!profile.allowOtherHost()) {
                HostPinning.check(realUrl, pass, creds, secretId, parsed.subprotocol()); // the re-read secret may name another host
            }
        }
    }

    private SQLException refused(String realUrl, String secretId, DatabaseCredentials creds, int retries, long start, Profile p,
            SQLException last) {
        long ms = (nanoTime.getAsLong() - start) / 1_000_000;
        return new SQLException("jdbc:secrets: " + Masking.url(realUrl) + " refused the login of user '" + creds.username()
                + "' from secret '" + secretId + "' (version " + creds.versionId() + "), also after re-reading the secret from the store: "
                + retries + " retries in " + ms + " ms (limits: " + JdbcSettings.MAX_RETRIES + "=" + p.maxRetries() + ", "
                + JdbcSettings.RETRY_BUDGET + "=" + p.retryBudget().toMillis() + "ms); check that the secret's credentials are valid on "
                + "the database", last.getSQLState(), last.getErrorCode(), last);
    }

    private void sleep(long nanos, SQLException failure) throws SQLException {
        try {
            sleeper.sleep(nanos);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            SQLException e = new SQLException("jdbc:secrets: interrupted while waiting to retry a refused login", "08001", ie);
            e.addSuppressed(failure);
            throw e;
        }
    }

    private static DatabaseCredentials readAfterFailure(Profile profile, String secretId, SQLException failure) throws SQLException {
        try {
            return read(profile, secretId, true);
        } catch (SQLException e) {
            e.addSuppressed(failure);
            throw e;
        }
    }

    private static DatabaseCredentials read(Profile profile, String secretId, boolean bypassCache) throws SQLException {
        SecretVersion v;
        SecretsClient client = profile.client();
        try {
            v = bypassCache ? client.refresh(secretId) : client.getSecretValue(secretId);
        } catch (InvalidSecretException e) {
            throw new SQLException("jdbc:secrets: '" + secretId + "' is not a valid secret ID: " + e.getMessage(), "28000", e);
        } catch (SecretNotFoundException e) {
            throw new SQLException("jdbc:secrets: secret '" + secretId + "' (named by the user or secretId property) was not found in store "
                    + profile.store() + ": " + e.getMessage(), "28000", e);
        } catch (SecretScheduledForDeletionException | MissingMasterKeyException e) {
            throw new SQLException("jdbc:secrets: cannot read secret '" + secretId + "': " + e.getMessage(), "28000", e);
        } catch (SecretsException e) {
            throw new SQLException("jdbc:secrets: cannot read secret '" + secretId + "' from store " + profile.store() + ": "
                    + e.getMessage(), "08001", e);
        }
        try {
            return DatabaseCredentials.from(v, profile.fields());
        } catch (InvalidSecretException e) {
            throw new SQLException("jdbc:secrets: " + e.getMessage(), "28000", e);
        }
    }

    private static String realUrl(SecretsUrl parsed, DatabaseDialect dialect, DatabaseCredentials creds, String secretId)
            throws SQLException {
        if (!parsed.endpointForm()) {
            return parsed.realUrl();
        }
        if (creds.host().map(String::isBlank).orElse(true)) {
            throw new SQLException("jdbc:secrets:" + parsed.subprotocol() + " takes host, port and dbname from the secret, but secret '"
                    + secretId + "' has no 'host' field; add it, or write the host in the URL (jdbc:secrets:" + parsed.subprotocol()
                    + "://HOST:PORT/DB)", "08001");
        }
        return creds.jdbcUrl(dialect, parsed.parameters());
    }

    private SecretsUrl parse(String url) throws SQLException {
        SecretsUrl parsed = parsedUrls.get(url);
        if (parsed == null) {
            parsed = SecretsUrl.parse(url); // a URL that does not parse is not kept
            if (parsedUrls.size() >= PARSED_URLS_MAX) {
                parsedUrls.clear();
            }
            parsedUrls.put(url, parsed);
        }
        return parsed;
    }

    /**
     * The secret ID: the {@code user} property, else the {@code secretId} property, else the URL's
     * {@code secretId} parameter. A {@code secretId} never overrides an explicit {@code user}: when
     * both are given and differ, the connect is refused (whoever wrote the URL must not choose
     * another secret than the application's user names).
     */
    private static String secretId(String url, SecretsUrl parsed, Properties props) throws SQLException {
        String user = firstNonBlank(props.getProperty("user"));
        for (String other : new String[] {firstNonBlank(props.getProperty(SECRET_ID)), firstNonBlank(parsed.secretId())}) {
            if (user != null && other != null && !other.equals(user)) {
                throw new SQLException("jdbc:secrets: " + Masking.url(url) + " names secret '" + other + "' with secretId, but the user "
                        + "property names secret '" + user + "'; a secretId never overrides the user: give one of them", "28000");
            }
        }
        return firstNonBlank(user, props.getProperty(SECRET_ID), parsed.secretId());
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
