package dev.secrets.spring;

import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the {@code CURRENT} version of a secret imported with
 * {@code spring.config.import=secrets:…} changed (a rotation finished, someone wrote a new value),
 * once per change, after the property source already serves the new values. Carries the IDs only,
 * never a value; {@link #toString()} is safe to log.
 *
 * <p>Listen to it to re-read values that were copied at start-up:
 * <pre>{@code
 * @EventListener
 * void onChange(SecretChangedEvent e) {
 *     if (e.secretId().equals("prod/payments/api-key")) {
 *         client.setApiKey(environment.getProperty("api-key"));
 *     }
 * }
 * }</pre>
 */
public class SecretChangedEvent extends ApplicationEvent {
    private static final long serialVersionUID = 1L;

    private final String secretId;
    private final String previousVersionId;
    private final String currentVersionId;

    /**
     * @param source            the publisher
     * @param secretId          the secret whose {@code CURRENT} version changed
     * @param previousVersionId the version ID served until now; null for a secret that appeared under an imported prefix
     * @param currentVersionId  the version ID served from now on; null for a secret that left an imported prefix
     */
    public SecretChangedEvent(Object source, String secretId, String previousVersionId, String currentVersionId) {
        super(source);
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        if (previousVersionId == null && currentVersionId == null) {
            throw new IllegalArgumentException("a change needs a previous or a current version");
        }
        this.previousVersionId = previousVersionId;
        this.currentVersionId = currentVersionId;
    }

    public String secretId() {
        return secretId;
    }

    /** The version ID that was {@code CURRENT} before the change; null when the secret just appeared under an imported prefix. */
    public String previousVersionId() {
        return previousVersionId;
    }

    /** The version ID that is {@code CURRENT} now; null when the secret left an imported prefix (deleted). */
    public String currentVersionId() {
        return currentVersionId;
    }

    @Override
    public String toString() {
        return "SecretChangedEvent[" + secretId + ", " + previousVersionId + " -> " + currentVersionId + "]";
    }
}
