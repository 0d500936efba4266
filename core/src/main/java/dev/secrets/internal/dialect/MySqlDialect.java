package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
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
