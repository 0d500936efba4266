package dev.secrets.jdbc.internal;

import dev.secrets.JdbcSettings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code jdbc:secrets:} URL. Immutable.
 *
 * @param subprotocol   the real driver's subprotocol, lower case ({@code postgresql})
 * @param realUrl       the URL for the real driver, {@code secretId} parameter removed; null in the endpoint form
 * @param endpointForm  true for {@code jdbc:secrets:SUBPROTOCOL[?PARAMETERS]}: host, port and dbname come from the secret
 * @param parameters    in the endpoint form, what followed {@code ?}; otherwise null
 * @param secretId      the {@code secretId} URL parameter, or null
 */
public record SecretsUrl(String subprotocol, String realUrl, boolean endpointForm, String parameters, String secretId) {
    private static final String PREFIX = JdbcSettings.URL_PREFIX;

    private static final Pattern ENDPOINT_FORM = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)(?:\\?(.*))?", Pattern.DOTALL);
    private static final Pattern SUBPROTOCOL = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*):.*", Pattern.DOTALL);
    private static final Pattern SECRET_ID_PARAMETER = Pattern.compile("([?&;])secretId=([^&;]*)");
    /** A {@code secrets.*} URL parameter: never read (the URL is the string most often in other hands), so refused. */
    private static final Pattern SETTINGS_PARAMETER = Pattern.compile("[?&;](secrets\\.[^=&;]*)", Pattern.CASE_INSENSITIVE);

    /** Whether {@code url} is a {@code jdbc:secrets:} URL ({@link JdbcSettings#isSecretsUrl}). */
    public static boolean accepts(String url) {
        return JdbcSettings.isSecretsUrl(url);
    }

    /**
     * Parses a URL that {@link #accepts} said yes to.
     *
     * @throws SQLException when nothing usable follows {@code jdbc:secrets:}, or (SQLState 28000) when a URL
     *     parameter names a {@code secrets.*} setting: those come from connection properties or the application's configuration
     */
    public static SecretsUrl parse(String url) throws SQLException {
        String rest = url.substring(PREFIX.length());
        Matcher settings = SETTINGS_PARAMETER.matcher(rest);
        if (settings.find()) {
            throw new SQLException("jdbc:secrets: URL parameter '" + settings.group(1) + "' is refused: secrets.* settings are read from "
                    + "connection properties or the application's configuration, never from the URL", "28000");
        }
        String secretId = null;
        Matcher p = SECRET_ID_PARAMETER.matcher(rest);
        if (p.find()) {
            secretId = URLDecoder.decode(p.group(2), StandardCharsets.UTF_8);
            String before = rest.substring(0, p.start());
            String after = rest.substring(p.end());
            if (p.group(1).equals("?") && !after.isEmpty()) {
                after = "?" + after.substring(1);
            }
            rest = before + after;
        }
        Matcher e = ENDPOINT_FORM.matcher(rest);
        if (e.matches()) {
            return new SecretsUrl(e.group(1).toLowerCase(Locale.ROOT), null, true, e.group(2), secretId);
        }
        Matcher s = SUBPROTOCOL.matcher(rest);
        if (!s.matches()) {
            throw new SQLException("JDBC URL " + Masking.url(url) + " does not name a database after jdbc:secrets:; write "
                    + "jdbc:secrets:postgresql://HOST:PORT/DB (the real driver's URL with secrets: inserted) or jdbc:secrets:postgresql "
                    + "to take host, port and dbname from the secret", "08001");
        }
        return new SecretsUrl(s.group(1).toLowerCase(Locale.ROOT), "jdbc:" + rest, false, null, secretId);
    }
}
