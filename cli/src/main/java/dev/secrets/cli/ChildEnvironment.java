package dev.secrets.cli;

import dev.secrets.SecretsConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment {@code secrets exec} gives its child: the parent's, less everything that opens the
 * store's keys, plus the requested secrets.
 *
 * <p>Removed: every {@code SECRETS_*} variable (store, {@code SECRETS_KEY}, {@code SECRETS_KEYS_*},
 * {@code SECRETS_CONFIG}, …) and every variable that a key URI of this configuration reads
 * ({@code env:NAME}, {@code passphrase-env:NAME}, {@code pin-source=env:NAME}). A value holding a
 * NUL character cannot be passed to a process; it is refused with a message naming the variable and
 * the secret, never the value (the JDK's own exception would quote it).
 */
final class ChildEnvironment {
    private static final Pattern ENV_REF = Pattern.compile("(?:^|[:;?&=])(?:passphrase-)?env:([A-Za-z_][A-Za-z0-9_]*)");

    private ChildEnvironment() {
    }

    /** The variables that the key URIs of {@code config} read. */
    static List<String> keyVariables(SecretsConfig config) {
        List<String> uris = new ArrayList<>();
        config.get(SecretsConfig.KEY).ifPresent(uris::add);
        config.withPrefix(SecretsConfig.KEYS_PREFIX).forEach((k, v) -> {
            if (!k.endsWith(".prefixes")) {
                uris.add(v);
            }
        });
        return referencedVariables(uris);
    }

    static List<String> referencedVariables(Collection<String> keyUris) {
        List<String> out = new ArrayList<>();
        for (String uri : keyUris) {
            Matcher m = ENV_REF.matcher(uri);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /**
     * Removes from {@code env} (a {@link ProcessBuilder#environment()}) every {@code SECRETS_*}
     * variable and every variable in {@code keyVariables}.
     */
    static void scrub(Map<String, String> env, Collection<String> keyVariables) {
        env.keySet().removeIf(k -> k.toUpperCase(Locale.ROOT).startsWith("SECRETS_") || keyVariables.contains(k));
    }

    /**
     * Checks that a value can be put in a process environment.
     *
     * @throws CliException naming the variable and the secret, never the value
     */
    static void requirePassable(String name, String value, String secretId) {
        if (value.indexOf('\0') >= 0) {
            throw new CliException("the value for environment variable " + name + " (from secret '" + secretId
                    + "') holds a NUL character, which an environment variable cannot carry; nothing was run");
        }
    }
}
