package dev.secrets.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a failed {@code secrets:} import at start-up: which secret, which store, and what to do
 * (create the secret, point {@code secrets.store} at the right store, or make the import
 * {@code optional:}; import a secret that would set {@code spring.*} names under a prefix). Registered
 * in {@code META-INF/spring.factories}.
 */
public class SecretImportFailureAnalyzer extends AbstractFailureAnalyzer<SecretImportException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecretImportException cause) {
        String id = cause.secretId();
        String where = cause.store() == null ? "" : " in the store " + cause.store();
        return switch (cause.reason()) {
            case NOT_FOUND -> new FailureAnalysis(
                    "The secret '" + id + "', imported by spring.config.import, was not found" + where
                            + " (" + cause.getCause().getMessage() + ").",
                    "Create it (for example: secrets create " + id + " --store " + (cause.store() == null ? "URI" : cause.store())
                            + "), check that secrets.store names the store that holds it, or, if the application can run"
                            + " without it, make the import optional: spring.config.import=optional:secrets:" + id,
                    cause);
            case NOT_CONFIGURED -> new FailureAnalysis(
                    "The secret '" + id + "' is imported by spring.config.import, but the secrets client is not configured: "
                            + cause.getCause().getMessage() + ".",
                    "Set secrets.store (file:PATH or s3://BUCKET/PREFIX) and secrets.key (env:NAME, file:PATH or"
                            + " passphrase-env:NAME) in application.properties, or the environment variables SECRETS_STORE"
                            + " and SECRETS_KEY.",
                    cause);
            case COLLISION -> new FailureAnalysis(
                    "The import spring.config.import=secrets:" + id + "* cannot give every secret its own property names: "
                            + cause.getCause().getMessage() + ". Under an import by prefix, the ID after the prefix becomes the"
                            + " property name with each '/' turned into '.', and a key/value secret's fields are added after it.",
                    "Rename one of the two secrets (for example, do not use '.' in an ID where another uses '/'), or import"
                            + " them by ID, each with its own ?prefix=.",
                    cause);
            case RESERVED_NAMES -> new FailureAnalysis(
                    "The import spring.config.import=secrets:" + id + (id.endsWith("/") ? "*" : "") + " is refused: "
                            + cause.getCause().getMessage() + ". Whoever can write that secret could otherwise change the"
                            + " application's data source, Actuator exposure, logging or secrets settings.",
                    "Import the secret under a prefix of its own (spring.config.import=secrets:" + id
                            + (id.endsWith("/") ? "*" : "") + "?prefix=app.), remove those names from the secret, or, if this secret is meant to configure"
                            + " Spring itself, set secrets.import.allow-reserved-names=true in the application's configuration.",
                    cause);
            case FAILED -> new FailureAnalysis(
                    "The secret '" + id + "', imported by spring.config.import, could not be read"
                            + (cause.store() == null ? "" : " from the store " + cause.store()) + ": "
                            + cause.getCause().getMessage(),
                    "Check that the store is reachable and that secrets.key (or secrets.keys.NAME) holds the master key"
                            + " the secret is encrypted under.",
                    cause);
        };
    }
}
