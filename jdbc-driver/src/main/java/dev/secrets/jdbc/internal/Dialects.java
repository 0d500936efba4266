package dev.secrets.jdbc.internal;

import dev.secrets.jdbc.spi.DatabaseDialect;
import dev.secrets.jdbc.spi.LoginFailures;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@link DatabaseDialect}s found with {@link ServiceLoader}, by subprotocol. Loaded once;
 * immutable and thread-safe afterwards. A dialect from outside this library wins over a built-in
 * one for the same subprotocol.
 */
public final class Dialects {
    private static final String BUILT_IN_PACKAGE = "dev.secrets.jdbc.internal.dialect";

    private final Map<String, DatabaseDialect> bySubprotocol;

    private Dialects(Map<String, DatabaseDialect> bySubprotocol) {
        this.bySubprotocol = Map.copyOf(bySubprotocol);
    }

    /** Every dialect visible to {@code loader}. */
    public static Dialects load(ClassLoader loader) {
        Map<String, DatabaseDialect> map = new HashMap<>();
        for (DatabaseDialect d : ServiceLoader.load(DatabaseDialect.class, loader)) {
            String key = d.subprotocol().toLowerCase(Locale.ROOT);
            DatabaseDialect old = map.get(key);
            if (old == null || isBuiltIn(old)) {
                map.put(key, d);
            }
        }
        return new Dialects(map);
    }

    private static boolean isBuiltIn(DatabaseDialect d) {
        return d.getClass().getName().startsWith(BUILT_IN_PACKAGE + ".");
    }

    /** The dialect for {@code subprotocol}, or a generic one (SQLState class 28 in the cause chain is a login failure). */
    public DatabaseDialect forSubprotocol(String subprotocol) {
        DatabaseDialect d = bySubprotocol.get(subprotocol);
        return d != null ? d : new Generic(subprotocol);
    }

    /** For a database no dialect claims. */
    private static final class Generic implements DatabaseDialect {
        private final String subprotocol;

        Generic(String subprotocol) {
            this.subprotocol = subprotocol;
        }

        @Override
        public String subprotocol() {
            return subprotocol;
        }

        @Override
        public boolean isLoginFailure(SQLException e) {
            return LoginFailures.authorizationClassInChain(e);
        }
    }
}
