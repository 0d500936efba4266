package dev.secrets.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonTree} gives the tree {@code Json.MAPPER.readTree} gives, and refuses what it refuses. */
class JsonTreeTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":[true,false,null,\"x\"],\"c\":{\"d\":-2.5e3,\"e\":12345678901,\"f\":123456789012345678901234567890}}",
        "\"text \\u00e9 \\ud83d\\ude00\"",
        "[]",
        "{}",
        "0",
        "{\"a\":1} trailing",
        "",
        "   ",
        "{\"a\":1,\"a\":2}",
        "{\"a\":",
        "[1,",
        "{\"a\" 1}",
        "nul",
    })
    void sameAsTheMapper(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode byMapper;
        try {
            byMapper = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            byMapper = null;
        }
        for (boolean fromString : new boolean[] {false, true}) {
            JsonNode byTree;
            try {
                byTree = fromString ? JsonTree.read(json) : JsonTree.read(bytes);
            } catch (IOException e) {
                byTree = null;
            }
            assertThat(byTree).as("%s (from %s)", json, fromString ? "a string" : "bytes").isEqualTo(byMapper);
        }
    }
}
