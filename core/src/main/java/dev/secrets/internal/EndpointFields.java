package dev.secrets.internal;

import java.util.regex.Pattern;

/**
 * The checks on the {@code host}, {@code port} and {@code dbname} fields of database credentials,
 * which are written into JDBC URLs: a field that could add URL parameters or settings
 * ({@code dbname="app?allowLoadLocalInfile=true"}, {@code host="h/db?sslmode=disable"}) is refused
 * on write and again on use. Messages name the field, never the value.
 */
public final class EndpointFields {
    /** A DNS name (labels of letters, digits, {@code -} and {@code _}) or an IPv4 address. */
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}\\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\\.?");
    /** An IPv6 address, bracketed or not, with an optional zone. */
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]{1,32})?\\]?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    /** Letters, digits and {@code _ . $ - + ~ : /} (H2 and Oracle names use the last three). */
    private static final Pattern DBNAME = Pattern.compile("[A-Za-z0-9_.$+~:/-]{0,255}");

    private EndpointFields() {
    }

    /** What is wrong with {@code host}, or null when it is a host name or an IP address. */
    public static String hostProblem(String host) {
        if (host == null || HOST_NAME.matcher(host).matches() || (IPV6.matcher(host).matches()
                && host.startsWith("[") == host.endsWith("]"))) {
            return null;
        }
        return "field 'host' must be a host name or an IP address (letters, digits, '.', '-', '_'; an IPv6 address in brackets or not)";
    }

    /** What is wrong with {@code port}, or null when it is a number from 1 to 65535. */
    public static String portProblem(String port) {
        if (port == null) {
            return null;
        }
        if (PORT.matcher(port).matches()) {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return null;
            }
        }
        return "field 'port' must be a port number from 1 to 65535";
    }

    /** What is wrong with {@code dbname}, or null when it is made of the characters a database name may have. */
    public static String dbnameProblem(String dbname) {
        if (dbname == null || DBNAME.matcher(dbname).matches()) {
            return null;
        }
        return "field 'dbname' may hold only letters, digits and _ . $ + ~ : / - (at most 255), nothing that a URL would read as "
                + "parameters or settings";
    }

    /** The first problem of the three fields, or null. */
    public static String problem(String host, String port, String dbname) {
        String p = hostProblem(host);
        if (p == null) {
            p = portProblem(port);
        }
        return p != null ? p : dbnameProblem(dbname);
    }
}
