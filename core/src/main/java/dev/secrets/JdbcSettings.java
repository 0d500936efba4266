package dev.secrets;

/**
 * The names shared by everything that connects to a database with credentials from a secret — the
 * {@code jdbc:secrets:} driver, the HikariCP credentials provider and the Spring Boot starter — so
 * each is written once: the {@code secrets.jdbc.*} configuration keys and the {@code jdbc:secrets:}
 * URL prefix, with the one way that prefix is matched.
 */
public final class JdbcSettings {
    /** The URL prefix of the {@code jdbc:secrets:} driver. */
    public static final String URL_PREFIX = "jdbc:secrets:";

    /** Every key of this group starts with this. */
    public static final String PREFIX = "secrets.jdbc.";
    /** The secret holding the credentials, for the HikariCP credentials provider's no-argument constructor and Spring. */
    public static final String SECRET_ID = "secrets.jdbc.secret-id";
    /** The secret field holding the user name (default {@value DatabaseCredentials#USERNAME}). */
    public static final String USERNAME_FIELD = "secrets.jdbc.username-field";
    /** The secret field holding the password (default {@value DatabaseCredentials#PASSWORD}). */
    public static final String PASSWORD_FIELD = "secrets.jdbc.password-field";
    /** The driver's retries after a refused login (default 8). */
    public static final String MAX_RETRIES = "secrets.jdbc.max-retries";
    /** The time the driver allows for those retries (default {@code 10s}). */
    public static final String RETRY_BUDGET = "secrets.jdbc.retry-budget";

    private JdbcSettings() {
    }

    /** Whether {@code url} is a {@code jdbc:secrets:} URL: the prefix matched case-insensitively, as JDBC schemes are. */
    public static boolean isSecretsUrl(String url) {
        return url != null && url.regionMatches(true, 0, URL_PREFIX, 0, URL_PREFIX.length());
    }
}
