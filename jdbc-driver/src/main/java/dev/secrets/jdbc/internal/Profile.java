package dev.secrets.jdbc.internal;

import dev.secrets.DatabaseCredentials;
import dev.secrets.SecretsClient;
import java.time.Duration;

/**
 * What connects with one set of {@code secrets.*} connection properties use: the shared client and
 * the {@code secrets.jdbc.*} settings. Immutable.
 *
 * @param client        the client of the store, shared by every profile with the same store settings
 * @param store         the store URI, for messages
 * @param fields        the secret fields holding the user name and the password
 * @param maxRetries    connects retried at most this many times after a refused login
 * @param retryBudget   and within this time from the first try
 * @param allowOtherHost whether the application's own configuration (not a connection property) allows
 *                      credentials to go to a host or port the secret does not name
 */
public record Profile(SecretsClient client, String store, DatabaseCredentials.FieldNames fields, int maxRetries,
        Duration retryBudget, boolean allowOtherHost) {
    /** The secret field holding the user name. */
    public String usernameField() {
        return fields.username();
    }

    /** The secret field holding the password. */
    public String passwordField() {
        return fields.password();
    }
}
