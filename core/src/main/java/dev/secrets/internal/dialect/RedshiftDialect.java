package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
import java.sql.SQLException;

/** Amazon Redshift: SQLState {@code 28P01}. */
public final class RedshiftDialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "redshift";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.sqlStateIs(e, "28P01");
    }
}
