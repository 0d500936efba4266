package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelTest {
    @Test
    void theStagingLabels_areTheConstants() {
        assertThat(Label.of("CURRENT")).isSameAs(Label.CURRENT);
        assertThat(Label.of("PENDING")).isSameAs(Label.PENDING);
        assertThat(Label.of("PREVIOUS")).isSameAs(Label.PREVIOUS);
        assertThat(Label.of("current")).isNotEqualTo(Label.CURRENT);
    }

    @Test
    void customLabels_are1To256PrintableCharacters() {
        assertThat(Label.of("x").name()).isEqualTo("x");
        assertThat(Label.of("x".repeat(256)).name()).hasSize(256);
        assertThat(Label.of("blue-2024.01_ü")).isEqualTo(Label.of("blue-2024.01_ü")).hasToString("blue-2024.01_ü");
        assertThatThrownBy(() -> Label.of("x".repeat(257))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("257");
        assertThatThrownBy(() -> Label.of("")).isInstanceOf(InvalidSecretException.class).hasMessage("label is empty");
        assertThatThrownBy(() -> Label.of(null)).isInstanceOf(InvalidSecretException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\tb", "a,b", "a\u0000b", "a\nb"})
    void labelsWithSpacesCommasOrControlCharacters_areRefused(String name) {
        assertThatThrownBy(() -> Label.of(name)).isInstanceOf(InvalidSecretException.class).hasMessageContaining("position 2");
    }

    @Test
    void aVersionCarriesAtMost20Labels() {
        assertThat(Label.MAX_PER_VERSION).isEqualTo(20);
    }
}
