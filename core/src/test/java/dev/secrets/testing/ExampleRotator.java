package dev.secrets.testing;

import dev.secrets.SecretValue;
import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;

/**
 * A user's own rotator as the documentation describes it: a class and a line in
 * {@code META-INF/services/dev.secrets.spi.Rotator}, nothing more. Appends {@code parameters.suffix}
 * (default {@code +}) to a text secret; nothing to set or test; the default finish.
 */
public final class ExampleRotator implements Rotator {
    @Override
    public String name() {
        return "example-suffix";
    }

    @Override
    public void createSecret(RotationContext context) {
        if (context.pendingValue().isPresent()) {
            return;
        }
        String current = context.current().map(v -> v.text()).orElse("");
        context.putPendingValue(SecretValue.ofText(current + context.parameters().getOrDefault("suffix", "+")));
    }
}
