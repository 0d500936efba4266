package dev.secrets.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the Actuator health indicator {@code secrets} ({@link SecretsHealthIndicator}):
 * {@code management.health.secrets.*}. A mutable JavaBean, as Spring binding needs.
 */
@ConfigurationProperties(SecretsHealthProperties.CONFIG_PREFIX)
public class SecretsHealthProperties {
    /** The prefix of every property of this class. */
    public static final String CONFIG_PREFIX = "management.health.secrets";

    /** Whether the health indicator 'secrets' is registered. */
    private boolean enabled = true;

    /** The rotation check. */
    private final Rotation rotation = new Rotation();

    /** Reuse of the last result. */
    private final Cache cache = new Cache();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Rotation getRotation() {
        return rotation;
    }

    public Cache getCache() {
        return cache;
    }

    /** The rotation check. */
    public static class Rotation {
        /**
         * Whether the health also reports overdue, failed and stuck rotations and secrets older than their max age.
         * It reads the metadata of every secret of the store that has rotation settings. Default false: the health
         * only checks that the store can be reached (one read).
         */
        private boolean enabled = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Reuse of the last result. */
    public static class Cache {
        /**
         * How long a health result is reused: the store is read at most once per period, however often
         * /actuator/health is called. 0 for a check on every call. Default 30s.
         */
        private Duration ttl = Duration.ofSeconds(SecretsHealthIndicator.DEFAULT_CACHE_TTL_SECONDS);

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }
}
