package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySecretsTest {

    @Test
    void secretsAre192RandomBitsAsUrlSafeStreamNames() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String s = KeySecrets.newSecret();
            assertThat(s).hasSize(32).matches(StreamKeyDtos.NAME_PATTERN).matches("[A-Za-z0-9_-]+");
            assertThat(seen.add(s)).isTrue();
        }
    }

    @Test
    void hashIsSha256HexAndComparesInConstantTime() {
        assertThat(KeySecrets.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(KeySecrets.sameHash(KeySecrets.hash("abc"), KeySecrets.hash("abc"))).isTrue();
        assertThat(KeySecrets.sameHash(KeySecrets.hash("abc"), KeySecrets.hash("abd"))).isFalse();
        assertThat(KeySecrets.sameHash(null, KeySecrets.hash("abc"))).isFalse();
    }

    @Test
    void masksShowAtMostFourCharactersAndNeverMoreThanAQuarter() {
        assertThat(KeySecrets.displayPrefix("q3ZxABCDEFGH")).isEqualTo("q3Zx…");
        assertThat(KeySecrets.mask("q3ZxABCDEFGHIJKLMNOP")).isEqualTo("q3Zx…");
        assertThat(KeySecrets.mask("mystream")).isEqualTo("my…");
        assertThat(KeySecrets.mask("abc")).isEqualTo("…");
        assertThat(KeySecrets.mask("")).isEqualTo("(empty)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Main camera|main-camera",
            "  Église Saint-Jean (live!)  |eglise-saint-jean-live",
            "___|stream",
            "..hidden|hidden",
            "UPPER_lower 42|upper-lower-42"})
    void slugsAreValidStreamNames(String label, String slug) {
        assertThat(KeySecrets.slug(label)).isEqualTo(slug).matches(StreamKeyDtos.NAME_PATTERN);
    }

    @Test
    void longLabelsGiveSlugsOfAtMost64Characters() {
        assertThat(KeySecrets.slug("a ".repeat(100))).hasSizeLessThanOrEqualTo(64).doesNotEndWith("-");
    }
}
