package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SecretIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "prod/app/db", "A-Z_a+z=0.9@x", "a/b.c/..d/.e.", "x.", ".hidden", "..."})
    void validIds_areAccepted(String id) {
        assertThat(SecretId.of(id).value()).isEqualTo(id);
        assertThat(SecretId.problem(id)).isNull();
    }

    @Test
    void anIdOf512Characters_isAccepted_and513AreNot() {
        assertThat(SecretId.of("a".repeat(512)).value()).hasSize(512);
        assertThatThrownBy(() -> SecretId.of("a".repeat(513))).isInstanceOf(InvalidSecretException.class)
                .hasMessage("secret ID is 513 characters long; at most 512 are allowed");
    }

    static Stream<Arguments> invalidIds() {
        return Stream.of(
                Arguments.of("/a", "must not start or end with '/'"),
                Arguments.of("a/", "must not start or end with '/'"),
                Arguments.of("/", "must not start or end with '/'"),
                Arguments.of("a//b", "empty segment"),
                Arguments.of(".", "'.' segment"),
                Arguments.of("..", "'..' segment"),
                Arguments.of("a/./b", "'.' segment"),
                Arguments.of("a/../b", "'..' segment"),
                Arguments.of("a/..", "'..' segment"),
                Arguments.of("a b", "a space at position 2"),
                Arguments.of("a~b", "'~' at position 2"),
                Arguments.of("a*b", "'*'"),
                Arguments.of("a:b", "':'"),
                Arguments.of("a\\b", "'\\'"),
                Arguments.of("a%b", "'%'"),
                Arguments.of("a#b", "'#'"),
                Arguments.of("a?b", "'?'"),
                Arguments.of("a,b", "','"),
                Arguments.of("é", "'é'"),
                Arguments.of("a^b", "'^'"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @MethodSource("invalidIds")
    void invalidIds_areRefusedNamingTheRule(String id, String problem) {
        assertThatThrownBy(() -> SecretId.of(id)).isInstanceOf(InvalidSecretException.class).hasMessageContaining("secret ID")
                .hasMessageContaining(problem);
    }

    @Test
    void emptyNullAndControlCharacters_areRefused() {
        assertThatThrownBy(() -> SecretId.of("")).isInstanceOf(InvalidSecretException.class).hasMessage("secret ID is empty");
        assertThatThrownBy(() -> SecretId.of(null)).isInstanceOf(InvalidSecretException.class).hasMessage("secret ID is empty");
        assertThatThrownBy(() -> SecretId.of("a\tb")).hasMessageContaining("U+0009");
        assertThatThrownBy(() -> SecretId.of("a\nb")).hasMessageContaining("U+000A").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> SecretId.of("a\u0000b")).hasMessageContaining("U+0000");
    }

    @Test
    void idsCompareByValue_andKnowTheirLastSegment() {
        assertThat(SecretId.of("a/b")).isEqualTo(SecretId.of("a/b")).hasSameHashCodeAs(SecretId.of("a/b"));
        assertThat(SecretId.of("a/b").compareTo(SecretId.of("a/c"))).isNegative();
        assertThat(SecretId.of("prod/payments/api-key").lastSegment()).isEqualTo("api-key");
        assertThat(SecretId.of("single").lastSegment()).isEqualTo("single");
        assertThat(SecretId.of("a/b")).hasToString("a/b");
    }
}
