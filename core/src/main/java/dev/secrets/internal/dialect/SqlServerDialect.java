package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
import java.sql.SQLException;

/** Microsoft SQL Server: vendor code 18456 (login failed) anywhere in the cause chain. */
public final class SqlServerDialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "sqlserver";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.errorCodeInChain(e, 18456);
    }

    @Override
    public String url(String host, String port, String dbname, String parameters) {
        return "jdbc:sqlserver://" + host + (port != null ? ":" + port : "")
                + (dbname != null ? ";databaseName=" + dbname : "")
                + (parameters != null && !parameters.isEmpty() ? ";" + parameters.replace('&', ';') : "");
    }
}
