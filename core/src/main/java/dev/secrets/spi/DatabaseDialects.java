package dev.secrets.spi;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@link DatabaseDialect}s found with {@link ServiceLoader}, by subprotocol. Loaded once;
 * immutable and thread-safe afterwards. A dialect from outside this library wins over a built-in
 * one for the same subprotocol. {@link DatabaseDialect#of(String)} asks the shared instance.
 */
public final class DatabaseDialects {
    private static final String BUILT_IN_PACKAGE = "dev.secrets.internal.dialect";

    private final Map<String, DatabaseDialect> bySubprotocol;

    /** Loaded on first use: dialects are on the class path from the start. */
    private static final class Shared {
        static final DatabaseDialects INSTANCE = load(DatabaseDialect.class.getClassLoader());
    }

    private DatabaseDialects(Map<String, DatabaseDialect> bySubprotocol) {
        this.bySubprotocol = Map.copyOf(bySubprotocol);
    }

    /** The dialects visible to this library's class loader. */
    public static DatabaseDialects shared() {
        return Shared.INSTANCE;
    }

    /** Every dialect visible to {@code loader}. */
    public static DatabaseDialects load(ClassLoader loader) {
        Map<String, DatabaseDialect> map = new HashMap<>();
        for (DatabaseDialect d : ServiceLoader.load(DatabaseDialect.class, loader)) {
            String key = d.subprotocol().toLowerCase(Locale.ROOT);
            DatabaseDialect old = map.get(key);
            if (old == null || isBuiltIn(old)) {
                map.put(key, d);
            }
        }
        return new DatabaseDialects(map);
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
