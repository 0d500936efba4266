package dev.secrets.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ValueType;
import dev.secrets.internal.json.Json;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RecordReader} reads what the mapper writes, as the mapper would read it: records are written
 * by data binding and read without it (the read path of a one-shot process skips building a mapper).
 */
class RecordReaderTest {

    /** A record with every field of the three classes set to something other than its default. */
    static SecretRecord full() {
        SecretRecord r = new SecretRecord();
        r.format = 7;
        r.id = "prod/app-db";
        r.generation = 1L << 40;
        r.tombstone = true;
        r.kind = "database";
        r.description = "the app's \"main\" database \u00e9\u4e2d";
        r.tags = new LinkedHashMap<>(Map.of("team", "payments"));
        r.tags.put("empty", "");
        r.keyName = "team-a";
        r.created = "2026-01-01T00:00:00Z";
        r.lastChanged = "2026-01-02T00:00:00Z";
        r.lastRotated = "2026-01-03T00:00:00Z";
        r.deletionDate = "2026-02-01T00:00:00Z";
        RotationState s = new RotationState();
        s.rotator = "postgresql";
        s.schedule = "cron(0 3 * * ? *)";
        s.zone = "Europe/Paris";
        s.params = new LinkedHashMap<>(Map.of("masterSecret", "prod/admin"));
        s.enabled = false;
        s.nextRotation = "2026-01-04T03:00:00Z";
        s.pendingVersion = "v-pending";
        s.completedStep = "set";
        s.cancelRequested = true;
        s.leaseOwner = "host-1";
        s.leaseUntil = "2026-01-04T03:05:00Z";
        s.lastAttempt = "2026-01-04T03:00:01Z";
        s.lastOutcome = "failed";
        s.failedStep = "test";
        s.lastError = "SQLException: connection refused";
        r.rotation = s;
        VersionEntry v = new VersionEntry();
        v.id = "v-1";
        v.labels = new ArrayList<>(List.of("CURRENT", "blue"));
        v.created = "2026-01-01T00:00:00Z";
        v.destroyed = "2026-01-05T00:00:00Z";
        v.type = ValueType.KEY_VALUE;
        v.keyVersion = 3;
        v.wrappedKey = new byte[] {1, 2, 3, (byte) 0xff};
        v.nonce = new byte[12];
        v.ciphertext = "ciphertext".getBytes(StandardCharsets.UTF_8);
        VersionEntry w = v.copy();
        w.id = "v-2";
        w.labels = new ArrayList<>();
        w.type = ValueType.BINARY;
        r.versions = new ArrayList<>(List.of(v, w));
        return r;
    }

    @Test
    void everyFieldReadsBackAsTheMapperWroteIt() throws Exception {
        SecretRecord r = full();
        for (Object o : new Object[] {r, r.rotation, r.versions.get(0)}) {
            assertEveryFieldDiffersFromDefault(o); // a field added later must be added to full() and to RecordReader
        }
        byte[] written = Json.MAPPER.writeValueAsBytes(r);
        SecretRecord read = RecordReader.read(written);
        assertThat(new String(Json.MAPPER.writeValueAsBytes(read), StandardCharsets.UTF_8))
                .isEqualTo(new String(written, StandardCharsets.UTF_8));
        assertThat(read.versions.get(0).wrappedKey).containsExactly(1, 2, 3, 0xff);
        assertThat(read.versions.get(1).type).isEqualTo(ValueType.BINARY);
    }

    private static void assertEveryFieldDiffersFromDefault(Object o) throws Exception {
        Object fresh = o.getClass().getDeclaredConstructor().newInstance();
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object mine = f.get(o);
            Object dflt = f.get(fresh);
            boolean same = mine == null ? dflt == null : mine instanceof byte[] ? dflt instanceof byte[] : mine.equals(dflt);
            assertThat(same).as("%s.%s is at its default in full()", o.getClass().getSimpleName(), f.getName()).isFalse();
        }
    }

    /** Inputs the mapper and the reader must treat alike: both accept and agree, or both refuse. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"id\":\"a\",\"later\":{\"x\":[1,2,{\"y\":null}]},\"generation\":3}",
        "{\"tags\":null,\"rotation\":null,\"versions\":null,\"description\":null}",
        "{\"rotation\":{}}",
        "{\"rotation\":{\"enabled\":true,\"params\":{}}}",
        "{\"versions\":[{\"id\":\"v\",\"type\":\"TEXT\",\"labels\":[]}]}",
        "{\"versions\":[{\"id\":\"v\",\"wrappedKey\":null,\"nonce\":\"AAAA\",\"keyVersion\":2}]}",
        "{\"generation\":12345678901234}",
        "{\"generation\":\"12\"}",
        "{\"id\":\"a\",\"id\":\"b\"}",
        "{\"versions\":{}}",
        "{\"versions\":[{\"type\":\"text\"}]}",
        "{\"versions\":[{\"nonce\":\"*not base64*\"}]}",
        "{\"versions\":[{\"labels\":\"CURRENT\"}]}",
        "{\"tags\":[\"a\"]}",
        "{\"tombstone\":\"yes\"}",
        "{\"id\":{\"a\":1}}",
        "[1]",
        "{\"id\":",
        "",
    })
    void agreesWithTheMapper(String json) throws Exception {
        byte[] in = json.getBytes(StandardCharsets.UTF_8);
        String byMapper;
        try {
            byMapper = new String(Json.MAPPER.writeValueAsBytes(Json.MAPPER.readValue(in, SecretRecord.class)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            byMapper = null;
        }
        String byReader;
        try {
            byReader = new String(Json.MAPPER.writeValueAsBytes(RecordReader.read(in)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            byReader = null;
        }
        if (byMapper == null) {
            assertThat(byReader).as("the mapper refuses %s", json).isNull();
        } else {
            assertThat(byReader).as("the mapper reads %s", json).isEqualTo(byMapper);
        }
    }

    @Test
    void aDamagedRecordIsAnIOExceptionNeverAnotherError() {
        assertThatThrownBy(() -> RecordReader.read("{\"format\":99999999999999999999}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            deep.append("{\"a\":");
        }
        assertThatThrownBy(() -> RecordReader.read(deep.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class); // the parser's nesting limit, not a StackOverflowError
    }
}
