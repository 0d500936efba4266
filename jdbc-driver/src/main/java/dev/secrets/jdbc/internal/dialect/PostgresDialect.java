package dev.secrets.jdbc.internal.dialect;

import dev.secrets.jdbc.spi.DatabaseDialect;
import dev.secrets.jdbc.spi.LoginFailures;
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
