package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
import java.sql.SQLException;

/** MariaDB: vendor code 1045 (access denied) anywhere in the cause chain. */
public final class MariaDbDialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "mariadb";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.errorCodeInChain(e, 1045);
    }
}
