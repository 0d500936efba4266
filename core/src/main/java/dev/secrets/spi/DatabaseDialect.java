package dev.secrets.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * What this library needs to know about one database: which URLs are its ({@link #subprotocol()}),
 * how it reports a refused login, and how to write its URL from the {@code host}, {@code port} and
 * {@code dbname} fields of a secret ({@link dev.secrets.DatabaseCredentials#jdbcUrl}). The
 * {@code jdbc:secrets:} driver and the database rotators both ask it, so a login failure is
 * classified the same way when connecting and when rotating.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: adding a database is one small
 * class listed in {@code META-INF/services/dev.secrets.spi.DatabaseDialect}. A dialect found
 * there replaces a built-in one with the same subprotocol. URLs whose subprotocol no dialect claims
 * still work; a login failure is then recognised by an SQLState of class {@code 28} (invalid
 * authorization) anywhere in the cause chain.
 *
 * <p>Implementations must be stateless and thread-safe, with a public no-argument constructor.
 * {@link LoginFailures} has null-safe helpers for the checks.
 */
public interface DatabaseDialect {
    /**
     * The dialect for {@code subprotocol} (lower case) among those on the class path, loaded once;
     * for a database no dialect claims, one that takes an SQLState of class {@code 28} anywhere in
     * the cause chain for a refused login.
     */
    static DatabaseDialect of(String subprotocol) {
        return DatabaseDialects.shared().forSubprotocol(subprotocol);
    }

    /**
     * The JDBC subprotocol: {@code postgresql} for {@code jdbc:postgresql:…} URLs (and so for
     * {@code jdbc:secrets:postgresql:…}). Lower case.
     */
    String subprotocol();

    /**
     * Whether {@code e} says that the database refused the user name or password, so that the
     * driver should read the secret again and retry. Must not throw; {@code e}'s SQLState may be
     * null.
     */
    boolean isLoginFailure(SQLException e);

    /**
     * The real JDBC URL for the endpoint-from-secret form ({@code jdbc:secrets:postgresql} with no
     * host). The default writes {@code jdbc:SUBPROTOCOL://HOST[:PORT]/[DBNAME][?PARAMETERS]}, with an
     * IPv6 host in brackets and the database name percent-encoded.
     *
     * @param host       the secret's {@code host} field, never null
     * @param port       the secret's {@code port} field, or null to let the driver use its default
     * @param dbname     the secret's {@code dbname} field, or null
     * @param parameters what followed {@code ?} in the {@code jdbc:secrets:} URL, or null
     */
    default String url(String host, String port, String dbname, String parameters) {
        StringBuilder b = new StringBuilder("jdbc:").append(subprotocol()).append("://").append(bracketed(host));
        if (port != null) {
            b.append(':').append(port);
        }
        b.append('/');
        if (dbname != null) {
            b.append(URLEncoder.encode(dbname, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        if (parameters != null && !parameters.isEmpty()) {
            b.append('?').append(parameters);
        }
        return b.toString();
    }

    /** {@code host} as a URL authority: an IPv6 address in brackets, anything else as it is. */
    static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
