package dev.secrets.jdbc.internal.dialect;

import dev.secrets.jdbc.spi.DatabaseDialect;
import dev.secrets.jdbc.spi.LoginFailures;
import java.sql.SQLException;

/** MySQL: vendor code 1045 (access denied) anywhere in the cause chain (Connector/J wraps it). */
public final class MySqlDialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "mysql";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.errorCodeInChain(e, 1045);
    }
}
