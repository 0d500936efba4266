package dev.secrets.jdbc.internal;

import java.util.regex.Pattern;

/** Removes passwords from JDBC URLs before they reach a message or a log. */
public final class Masking {
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)([?&;:](?:[A-Za-z0-9_.-]*(?:password|passwd|pwd)|secret)\\s*=\\s*)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?;]*:)[^/@?;]*@");
    private static final Pattern ORACLE_USER_PASSWORD = Pattern.compile("(?i)(:thin:[^/@]*/)[^@]*@");

    private Masking() {
    }

    /**
     * {@code url} with every password it may carry replaced by {@code ****}: any parameter whose name
     * ends in or contains {@code password}, {@code passwd} or {@code pwd} ({@code sslpassword},
     * {@code trustStorePassword}, {@code keyStorePassword}, …) or is {@code secret};
     * {@code user:password@}; Oracle's {@code user/password@}.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String s = PASSWORD_PARAMETER.matcher(url).replaceAll("$1****");
        s = USER_INFO.matcher(s).replaceAll("$1****@");
        return ORACLE_USER_PASSWORD.matcher(s).replaceAll("$1****@");
    }
}
