package dev.secrets.spring;

/**
 * What the starter does when the {@code CURRENT} version of an imported secret moves
 * ({@code secrets.reload.strategy}), as Spring Cloud AWS's reload strategies.
 */
public enum ReloadStrategy {
    /** Nothing: the secrets are read once, at start-up. The default. */
    NONE,
    /**
     * The property sources are updated in place (so {@code Environment.getProperty} returns the new value)
     * and a {@link SecretChangedEvent} is published per changed secret; beans are left alone.
     */
    EVENT,
    /**
     * As {@link #EVENT}, after re-binding every {@code @ConfigurationProperties} bean and renewing every
     * {@code @RefreshScope} bean: through Spring Cloud Context's {@code ContextRefresher} when it is on the
     * class path, else through the starter's own re-binding of {@code @ConfigurationProperties} beans.
     */
    REFRESH,
    /** The application context is restarted through Spring Cloud Context's restart endpoint. */
    RESTART
}
