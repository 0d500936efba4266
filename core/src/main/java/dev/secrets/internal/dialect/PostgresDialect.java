package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
import java.sql.SQLException;

/** PostgreSQL: SQLState {@code 28P01} (wrong password) or {@code 28000} (no such role, or not allowed to log in). */
public final class PostgresDialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "postgresql";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.sqlStateIs(e, "28P01", "28000");
    }
}
