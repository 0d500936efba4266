package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
import java.sql.SQLException;

/** IBM Db2: vendor code -1403 (user name or password incorrect) anywhere in the cause chain. */
public final class Db2Dialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "db2";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.errorCodeInChain(e, -1403);
    }
}
