package dev.secrets.jdbc.internal.dialect;

import dev.secrets.jdbc.spi.DatabaseDialect;
import dev.secrets.jdbc.spi.LoginFailures;
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
