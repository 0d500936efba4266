package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomPasswordTest {
    private static final int SAMPLES = 2000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static boolean hasAny(String s, String chars) {
        return s.chars().anyMatch(c -> chars.indexOf(c) >= 0);
    }

    @Test
    void defaults_are32CharactersWithEveryClassButSpace_inEverySample() {
        RandomPassword p = RandomPassword.defaults();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < SAMPLES; i++) {
            String pw = p.generate(RANDOM);
            assertThat(pw).hasSize(32).doesNotContain(" ");
            assertThat(hasAny(pw, RandomPassword.NUMBERS)).isTrue();
            assertThat(hasAny(pw, RandomPassword.UPPER)).isTrue();
            assertThat(hasAny(pw, RandomPassword.LOWER)).isTrue();
            assertThat(hasAny(pw, RandomPassword.PUNCTUATION)).isTrue();
            seen.add(pw);
        }
        assertThat(seen).hasSize(SAMPLES);
    }

    @Test
    void everyPrintableAsciiCharacterIsUsed_overManySamples() {
        RandomPassword p = RandomPassword.builder().includeSpace(true).build();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < SAMPLES; i++) {
            for (char c : p.generate(RANDOM).toCharArray()) {
                used.add(c);
            }
        }
        assertThat(used).hasSize(95); // 0x20..0x7E
    }

    @Test
    void excludedClasses_neverAppear_andRequiredOnesAlwaysDo() {
        RandomPassword p = RandomPassword.builder().length(8).excludeNumbers(true).excludePunctuation(true).includeSpace(true).build();
        for (int i = 0; i < SAMPLES; i++) {
            String pw = p.generate(RANDOM);
            assertThat(pw).hasSize(8);
            assertThat(hasAny(pw, RandomPassword.NUMBERS)).isFalse();
            assertThat(hasAny(pw, RandomPassword.PUNCTUATION)).isFalse();
            assertThat(hasAny(pw, RandomPassword.UPPER)).isTrue();
            assertThat(hasAny(pw, RandomPassword.LOWER)).isTrue();
            assertThat(pw).contains(" ");
        }
    }

    @Test
    void excludeUpperAndLower_leavesDigitsAndPunctuation() {
        RandomPassword p = RandomPassword.builder().excludeUppercase(true).excludeLowercase(true).build();
        for (int i = 0; i < SAMPLES; i++) {
            String pw = p.generate(RANDOM);
            assertThat(hasAny(pw, RandomPassword.UPPER + RandomPassword.LOWER)).isFalse();
            assertThat(hasAny(pw, RandomPassword.NUMBERS)).isTrue();
            assertThat(hasAny(pw, RandomPassword.PUNCTUATION)).isTrue();
        }
    }

    @Test
    void excludedCharacters_neverAppear() {
        String excluded = "0O1lI'\"\\`$";
        RandomPassword p = RandomPassword.builder().length(64).excludeCharacters(excluded).build();
        for (int i = 0; i < SAMPLES; i++) {
            assertThat(hasAny(p.generate(RANDOM), excluded)).isFalse();
        }
    }

    @Test
    void withoutRequireEachType_aShortPasswordMayLackAClass() {
        RandomPassword p = RandomPassword.builder().length(4).requireEachIncludedType(false).build();
        boolean someLackDigits = false;
        for (int i = 0; i < SAMPLES && !someLackDigits; i++) {
            someLackDigits = !hasAny(p.generate(RANDOM), RandomPassword.NUMBERS);
        }
        assertThat(someLackDigits).isTrue();
    }

    @Test
    void lengthOne_withOneClass_works() {
        assertThat(RandomPassword.builder().length(1).excludeNumbers(true).excludePunctuation(true).excludeUppercase(true)
                .build().generate(RANDOM)).matches("[a-z]");
    }

    @Test
    void impossibleOptions_areRefused() {
        assertThatThrownBy(() -> RandomPassword.builder().length(0).build()).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("length");
        assertThatThrownBy(() -> RandomPassword.builder().length(4097).build()).isInstanceOf(InvalidSecretException.class);
        assertThatThrownBy(() -> RandomPassword.builder().excludeNumbers(true).excludePunctuation(true).excludeUppercase(true)
                .excludeLowercase(true).build()).isInstanceOf(InvalidSecretException.class).hasMessageContaining("every character");
        assertThatThrownBy(() -> RandomPassword.builder().length(3).build()).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("length 3");
        assertThatThrownBy(() -> RandomPassword.builder().excludeCharacters(RandomPassword.NUMBERS).build())
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("numbers");
    }

    @Test
    void fromParameters_readsTheRotatorOptions() {
        RandomPassword p = RandomPassword.fromParameters(Map.of(RandomPassword.PASSWORD_LENGTH, "12",
                RandomPassword.EXCLUDE_PUNCTUATION, "true", RandomPassword.EXCLUDE_CHARACTERS, "abc"));
        for (int i = 0; i < 200; i++) {
            String pw = p.generate(RANDOM);
            assertThat(pw).hasSize(12).matches("[0-9A-Zd-z]+");
        }
        assertThatThrownBy(() -> RandomPassword.fromParameters(Map.of(RandomPassword.PASSWORD_LENGTH, "many")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining(RandomPassword.PASSWORD_LENGTH);
        assertThatThrownBy(() -> RandomPassword.fromParameters(Map.of(RandomPassword.INCLUDE_SPACE, "yes")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining(RandomPassword.INCLUDE_SPACE);
    }

    @Test
    void toString_neverShowsExcludedCharacters() {
        assertThat(RandomPassword.builder().excludeCharacters("XYZ").build().toString()).doesNotContain("XYZ");
    }
}
