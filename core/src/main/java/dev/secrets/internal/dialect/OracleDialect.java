package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
import java.sql.SQLException;

/** Oracle: vendor codes 1017 (invalid user name/password), 9911 and 17079 (credentials mismatch) anywhere in the cause chain. */
public final class OracleDialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "oracle";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.errorCodeInChain(e, 1017, 9911, 17079);
    }

    @Override
    public String url(String host, String port, String dbname, String parameters) {
        return "jdbc:oracle:thin:@//" + host + (port != null ? ":" + port : "") + "/" + (dbname != null ? dbname : "")
                + (parameters != null && !parameters.isEmpty() ? "?" + parameters : "");
    }
}
