package dev.secrets.internal.rotation;

import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;
import java.util.Map;

/**
 * {@code redshift}: the {@code postgresql} rotator in its Redshift form ({@link PostgresRotator}, its
 * Redshift paragraph): {@code ALTER USER … PASSWORD}, port 5439 and database {@code dev} by default,
 * passwords without the characters Redshift refuses, single-user only. Talks through the PostgreSQL
 * JDBC driver. Thread-safe.
 */
public final class RedshiftRotator implements Rotator {
    private final PostgresRotator delegate = PostgresRotator.redshift();

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void validate(Map<String, String> parameters) {
        delegate.validate(parameters);
    }

    @Override
    public void createSecret(RotationContext context) {
        delegate.createSecret(context);
    }

    @Override
    public void setSecret(RotationContext context) {
        delegate.setSecret(context);
    }

    @Override
    public void testSecret(RotationContext context) {
        delegate.testSecret(context);
    }
}
