package dev.secrets.internal.dialect;

import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.LoginFailures;
import java.sql.SQLException;

/** H2: SQLState {@code 28000} (wrong user name or password). */
public final class H2Dialect implements DatabaseDialect {
    @Override
    public String subprotocol() {
        return "h2";
    }

    @Override
    public boolean isLoginFailure(SQLException e) {
        return LoginFailures.sqlStateIs(e, "28000");
    }

    @Override
    public String url(String host, String port, String dbname, String parameters) {
        // H2 is embedded unless a server is named: the endpoint form means its TCP server.
        return "jdbc:h2:tcp://" + host + (port != null ? ":" + port : "") + "/" + (dbname != null ? dbname : "")
                + (parameters != null && !parameters.isEmpty() ? ";" + parameters.replace('&', ';') : "");
    }
}
