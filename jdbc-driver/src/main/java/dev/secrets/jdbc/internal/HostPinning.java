package dev.secrets.jdbc.internal;

import dev.secrets.DatabaseCredentials;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Credentials go only to the host the secret names. When the secret holds a {@code host} (or a
 * {@code port}), a {@code jdbc:secrets:} URL that names another host or port — or whose host cannot
 * be told, or that moves the host through a parameter or property ({@code PGHOST}, {@code serverName},
 * …) — is refused before any connection is attempted, unless the application opted in with
 * {@value #ALLOW_OTHER_HOST}{@code =true} in its own configuration (system properties, environment,
 * configuration file; not in connection properties, which travel with the URL). Without a
 * {@code host} in the secret the URL's host is used as written. Used by the driver and by the
 * HikariCP {@code SecretCredentialsProvider} (on the pool's own URL and data source properties).
 */
public final class HostPinning {
    /** The opt-in: credentials may go to a host or port the secret does not name. */
    public static final String ALLOW_OTHER_HOST = "secrets.jdbc.allow-other-host";

    /** Parameters and properties that some drivers read as the host or port, overriding the URL's. */
    private static final Set<String> HOST_KEYS = Set.of("pghost", "pgport", "host", "port", "servername", "portnumber",
            "hostaddr", "address", "hostname");

    /** The port a driver uses when the URL names none. */
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("postgresql", 5432, "mysql", 3306, "mariadb", 3306,
            "sqlserver", 1433, "oracle", 1521, "db2", 50000, "redshift", 5439, "h2", 9092);

    private HostPinning() {
    }

    /** One host and optional port of a URL's authority. */
    record Endpoint(String host, String port) {
    }

    /**
     * Checks a {@code jdbc:secrets:} URL's real URL and the properties the real driver gets.
     *
     * @throws SQLException (SQLState 28000) when the URL would send the secret's credentials elsewhere
     */
    static void check(String realUrl, Properties pass, DatabaseCredentials creds, String secretId, String subprotocol)
            throws SQLException {
        check(realUrl, pass, creds, secretId, subprotocol, "jdbc:secrets:", "write jdbc:secrets:" + subprotocol
                + " to take them from the secret, or ");
    }

    /**
     * Checks a pool's plain JDBC URL ({@code jdbc:postgresql://…}) and its data source properties.
     *
     * @throws SQLException (SQLState 28000) when the URL would send the secret's credentials elsewhere
     */
    public static void checkPoolUrl(String jdbcUrl, Properties dataSourceProperties, DatabaseCredentials creds, String secretId)
            throws SQLException {
        int colon = jdbcUrl.indexOf(':', 5);
        String subprotocol = jdbcUrl.regionMatches(true, 0, "jdbc:", 0, 5) && colon > 5
                ? jdbcUrl.substring(5, colon).toLowerCase(Locale.ROOT) : "";
        check(jdbcUrl, dataSourceProperties, creds, secretId, subprotocol, "SecretCredentialsProvider",
                "point the pool's JDBC URL at that host, or ");
    }

    private static void check(String realUrl, Properties pass, DatabaseCredentials creds, String secretId, String subprotocol,
            String who, String hint) throws SQLException {
        int defaultPort = DEFAULT_PORTS.getOrDefault(subprotocol, 0);
        if (creds.host().isEmpty() && creds.port().isEmpty()) {
            return;
        }
        String where = "the secret '" + secretId + "' names " + creds.address();
        for (String name : pass.stringPropertyNames()) {
            if (HOST_KEYS.contains(name.toLowerCase(Locale.ROOT))) {
                throw refused(who, hint, "connection property '" + name + "' could move the connection to another host; " + where);
            }
        }
        for (String name : parameterNames(realUrl)) {
            if (HOST_KEYS.contains(name.toLowerCase(Locale.ROOT))) {
                throw refused(who, hint, "URL parameter '" + name + "' could move the connection to another host; " + where);
            }
        }
        List<Endpoint> endpoints = endpoints(realUrl);
        if (endpoints == null) {
            throw refused(who, hint, "the host of " + Masking.url(realUrl) + " cannot be told apart; " + where);
        }
        for (Endpoint e : endpoints) {
            if (creds.host().isPresent() && !sameHost(e.host(), creds.host().get())) {
                throw refused(who, hint, Masking.url(realUrl) + " names host " + e.host() + ", but " + where);
            }
            if (creds.port().isPresent()) {
                String port = e.port() != null ? e.port() : defaultPort > 0 ? Integer.toString(defaultPort) : null;
                if (!creds.port().get().equals(port)) {
                    throw refused(who, hint, Masking.url(realUrl) + " names port " + (e.port() != null ? e.port() : "(the driver's default)")
                            + ", but " + where);
                }
            }
        }
    }

    private static SQLException refused(String who, String hint, String why) {
        return new SQLException(who + " refused before connecting: " + why + "; credentials go only to the host and port the "
                + "secret names (" + hint + "set " + ALLOW_OTHER_HOST + "=true in the application's configuration to allow another)",
                "28000");
    }

    private static boolean sameHost(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * The hosts of a URL: the authority after {@code //} (several, comma-separated, for drivers
     * with fail-over), or after {@code @} for Oracle's thin driver; null when there is none to tell.
     */
    static List<Endpoint> endpoints(String url) {
        String authority;
        int slashes = url.indexOf("//");
        int at = url.indexOf('@');
        if (at >= 0 && (slashes < 0 || at < slashes) && url.startsWith("jdbc:oracle:")) {
            String rest = url.substring(at + 1);
            authority = rest.startsWith("//") ? rest.substring(2) : rest;
        } else if (slashes >= 0 && url.indexOf(':', "jdbc:".length()) < slashes) {
            authority = url.substring(slashes + 2);
        } else {
            return null;
        }
        int end = authority.length();
        for (char c : new char[] {'/', '?', ';', '#'}) {
            int i = authority.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        authority = authority.substring(0, end);
        if (authority.isEmpty() || authority.indexOf('@') >= 0 || authority.indexOf('(') >= 0 || authority.indexOf('=') >= 0) {
            return null; // user info, or a descriptor (address=(host=…)): not ours to interpret
        }
        List<Endpoint> out = new ArrayList<>();
        for (String hp : authority.split(",", -1)) {
            if (hp.isEmpty()) {
                return null;
            }
            String host;
            String port = null;
            if (hp.startsWith("[")) {
                int close = hp.indexOf(']');
                if (close < 0) {
                    return null;
                }
                host = hp.substring(0, close + 1);
                String after = hp.substring(close + 1);
                if (after.startsWith(":")) {
                    port = after.substring(1);
                } else if (!after.isEmpty()) {
                    return null;
                }
            } else {
                int colon = hp.indexOf(':');
                if (colon >= 0 && hp.indexOf(':', colon + 1) >= 0) {
                    return null; // a bare IPv6 address is ambiguous
                }
                host = colon < 0 ? hp : hp.substring(0, colon);
                port = colon < 0 ? null : hp.substring(colon + 1);
            }
            if (host.isEmpty() || (port != null && port.isEmpty())) {
                return null;
            }
            out.add(new Endpoint(host, port));
        }
        return out;
    }

    /** The names of the URL's parameters: after {@code ?} ({@code &}-separated) and after each {@code ;}. */
    private static List<String> parameterNames(String url) {
        List<String> names = new ArrayList<>();
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String p : url.substring(q + 1).split("[&;]")) {
                int eq = p.indexOf('=');
                names.add(eq < 0 ? p : p.substring(0, eq));
            }
        }
        String beforeQuery = q >= 0 ? url.substring(0, q) : url;
        String[] parts = beforeQuery.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            names.add(eq < 0 ? parts[i] : parts[i].substring(0, eq));
        }
        return names;
    }
}
