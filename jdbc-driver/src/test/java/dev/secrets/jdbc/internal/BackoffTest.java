package dev.secrets.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delays_doubleFrom100ms_upTo2s() {
        assertThat(IntStream.rangeClosed(1, 8).mapToLong(n -> Backoff.delay(n).toMillis()).toArray())
                .containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
        assertThat(Backoff.delay(1000)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void defaultRetries_fitInTheDefaultBudget() {
        long total = IntStream.rangeClosed(1, 8).mapToLong(n -> Backoff.delay(n).toMillis()).sum();

        assertThat(Duration.ofMillis(total)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void delayZero_isRefused() {
        assertThatThrownBy(() -> Backoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
