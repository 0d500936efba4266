package dev.secrets.internal.rotation;

import dev.secrets.SecretsException;
import java.util.List;

/**
 * Turns one line of {@code SHOW GRANTS FOR base@host} into the same grant to another account, as the
 * pieces of a server-built statement ({@link MySqlSession.Piece}): the line's text up to the grantee as
 * the server wrote it, the new account's name and host as values the server quotes, and the allowed
 * tail ({@code WITH GRANT OPTION}, {@code WITH ADMIN OPTION}). Handles {@code GRANT … TO} (privileges,
 * roles, proxy) and MariaDB's {@code SET DEFAULT ROLE … FOR}; anything else is refused with the grant
 * named, so that the clone never silently lacks a privilege.
 */
final class GrantReplay {
    private static final List<String> TAILS = List.of("", " WITH GRANT OPTION", " WITH ADMIN OPTION");

    private GrantReplay() {
    }

    /** The pieces of the replayed grant, or null for a line that needs no replay (the account's USAGE line). */
    static List<MySqlSession.Piece> replay(String line, String base, String host, String clone) {
        if (line.startsWith("GRANT USAGE ON *.* TO ")) {
            return null;
        }
        String keyword = line.startsWith("GRANT ") ? " TO " : line.startsWith("SET DEFAULT ROLE ") ? " FOR " : null;
        if (keyword != null) {
            for (String grantee : grantees(base, host)) {
                int at = line.lastIndexOf(keyword + grantee);
                if (at < 0) {
                    continue;
                }
                String tail = withoutAuthentication(line.substring(at + keyword.length() + grantee.length()));
                if (TAILS.contains(tail)) {
                    String head = line.substring(0, at + keyword.length());
                    return List.of(MySqlSession.Piece.sql(head), MySqlSession.Piece.value(clone), MySqlSession.Piece.sql("@"),
                            MySqlSession.Piece.value(host), MySqlSession.Piece.sql(tail));
                }
            }
        }
        throw new SecretsException("the grant '" + shown(line) + "' of '" + base + "' cannot be replayed to the clone '" + clone
                + "'; give the clone that privilege by hand, or grant it to '" + base + "' in a plain form");
    }

    /** The ways servers write the grantee: {@code `u`@`h`} (MariaDB, MySQL 8) and {@code 'u'@'h'} (MySQL 5.7). */
    private static List<String> grantees(String user, String host) {
        return List.of("`" + user.replace("`", "``") + "`@`" + host.replace("`", "``") + "`",
                "'" + user.replace("'", "\\'") + "'@'" + host.replace("'", "\\'") + "'");
    }

    /**
     * The tail without MariaDB's authentication clause, which it prints on the line of global privileges
     * ({@code IDENTIFIED BY PASSWORD '*hash'}, {@code IDENTIFIED VIA plugin …}): the clone has its own password.
     */
    private static String withoutAuthentication(String tail) {
        if (tail.startsWith(" IDENTIFIED BY PASSWORD '")) {
            int end = tail.indexOf('\'', " IDENTIFIED BY PASSWORD '".length());
            return end < 0 ? tail : tail.substring(end + 1);
        }
        if (tail.startsWith(" IDENTIFIED VIA ")) {
            int with = tail.indexOf(" WITH ");
            return with < 0 ? "" : tail.substring(with);
        }
        return tail;
    }

    /** A grant line fit for an error message: without any password hash the server may print after it. */
    static String shown(String line) {
        int i = line.indexOf(" IDENTIFIED ");
        return i < 0 ? line : line.substring(0, i) + " …";
    }
}
