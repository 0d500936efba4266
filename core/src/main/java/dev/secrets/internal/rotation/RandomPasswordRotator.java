package dev.secrets.internal.rotation;

import dev.secrets.internal.access.StoredValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.ValueType;
import dev.secrets.internal.json.Json;
import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code random-password}: a new random password, nothing to apply elsewhere. For a key/value or
 * database secret the password goes into the field named by parameter {@code field} (default
 * {@code password}) and every other field is kept; for a text secret the whole text is replaced.
 * Password options: see {@link RandomPassword#fromParameters(Map)}.
 */
public final class RandomPasswordRotator implements Rotator {
    public static final String NAME = "random-password";
    public static final String FIELD = "field";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> parameters) {
        RandomPassword.fromParameters(parameters);
        String f = parameters.get(FIELD);
        if (f != null && f.isBlank()) {
            throw new InvalidSecretException("parameter " + FIELD + " of rotator " + NAME + " must name a field");
        }
    }

    @Override
    public void createSecret(RotationContext context) {
        if (context.pendingValue().isPresent()) {
            return;
        }
        String password = RandomPassword.fromParameters(context.parameters()).generate(context.random());
        String field = context.parameters().getOrDefault(FIELD, "password");
        context.putPendingValue(withField(context.current().map(SecretVersion::value), field, password, NAME));
    }

    /** The current value with {@code field} set to {@code password} (a new one-field object when there is no value). */
    static SecretValue withField(Optional<SecretValue> current, String field, String password, String rotator) {
        if (current.isEmpty()) {
            return SecretValue.ofFields(Map.of(field, password));
        }
        SecretValue v = current.get();
        if (v.type() == ValueType.TEXT) {
            return SecretValue.ofText(password);
        }
        if (v.type() == ValueType.BINARY) {
            throw new InvalidSecretException("rotator " + rotator + " cannot rotate a binary value; store the secret as text or key/value");
        }
        ObjectNode node;
        try {
            JsonNode n = Json.MAPPER.readTree(StoredValues.bytes(v));
            node = (ObjectNode) n;
        } catch (IOException | ClassCastException e) {
            throw new InvalidSecretException("the current value is not a JSON object");
        }
        node.put(field, password);
        return SecretValue.ofJson(node.toString());
    }
}
