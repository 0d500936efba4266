package dev.secrets.internal.rotation;

import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsException;
import dev.secrets.ValueType;
import java.util.Map;

/**
 * The login and endpoint in a database secret's value ({@code username}, {@code password}, optional
 * {@code host}, {@code port}, {@code dbname}). {@link #toString()} never shows the password.
 */
record DbCreds(String user, String password, String host, String port, String dbname) {

    /**
     * Reads them from a version of a database secret.
     *
     * @param what how the version is named in errors ("CURRENT", "admin secret 'x'")
     * @throws SecretsException naming the missing field, never a value
     */
    static DbCreds of(SecretVersion v, String what) {
        SecretValue value = v.value();
        if (value.type() != ValueType.KEY_VALUE) {
            throw new SecretsException("the " + what + " value of secret '" + v.secretId()
                    + "' is not a JSON object with username and password");
        }
        Map<String, String> f = value.fields();
        String user = f.get("username");
        String password = f.get("password");
        if (user == null || user.isEmpty() || password == null) {
            throw new SecretsException("the " + what + " value of secret '" + v.secretId() + "' lacks field "
                    + (user == null || user.isEmpty() ? "username" : "password"));
        }
        return new DbCreds(user, password, f.get("host"), f.get("port"), f.get("dbname"));
    }

    /** The same endpoint with another login. */
    DbCreds withLogin(String u, String p) {
        return new DbCreds(u, p, host, port, dbname);
    }

    /** {@code host:port}, with {@code defaultPort} when the secret names none. */
    String address(int defaultPort) {
        return (host == null ? "?" : host) + ":" + (port == null ? Integer.toString(defaultPort) : port);
    }

    @Override
    public String toString() {
        return "DbCreds[" + user + "@" + host + ":" + port + "/" + dbname + ", password=***]";
    }
}
