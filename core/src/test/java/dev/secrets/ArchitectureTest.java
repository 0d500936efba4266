package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.testing.PackageDependencies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shape of core, checked over its compiled classes: no cycle between its packages (the root API
 * package aside: its values are used by every room and its facade uses the rooms), each
 * {@code internal} package importing only the internal packages the table below (and
 * {@code docs/architecture.md}) allows, and no other module's internals.
 */
class ArchitectureTest {
    private static final String INTERNAL = "dev.secrets.internal";
    private static final PackageDependencies CORE = load("target/classes");

    /** Which other internal packages each internal package may import; the public packages (API, SPI, audit) are open to all. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("access", Set.of()),
            Map.entry("audit", Set.of()),
            Map.entry("cache", Set.of("audit")),
            Map.entry("crypto", Set.of()),
            Map.entry("dialect", Set.of()),
            Map.entry("json", Set.of()),
            Map.entry("store", Set.of("json")),
            Map.entry("keys", Set.of("crypto", "json", "store")),
            Map.entry("read", Set.of("store")),
            Map.entry("pkcs11", Set.of("crypto")),
            Map.entry("record", Set.of("access", "crypto", "json")),
            Map.entry("repository", Set.of("crypto", "keys", "record", "store")),
            Map.entry("rotation", Set.of("access", "json", "record")));

    private static PackageDependencies load(String dir) {
        try {
            return PackageDependencies.of(Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void corePackages_haveNoCycle() {
        assertThat(CORE.packages()).contains(INTERNAL + ".cache", INTERNAL + ".repository");
        assertThat(CORE.cycles(Set.of("dev.secrets"))).isEmpty();
    }

    @Test
    void cycleCheck_findsTheRootPackagesOwnCycle_whenItIsNotLeftOut() {
        // The facade (dev.secrets) uses the rooms and the rooms use its values: the check sees that circle.
        assertThat(CORE.cycles(Set.of())).anySatisfy(c -> assertThat(c).startsWith("[dev.secrets, "));
    }

    @Test
    void eachInternalPackage_importsOnlyTheInternalPackagesItMay() {
        for (String pkg : CORE.packages()) {
            if (!pkg.startsWith(INTERNAL + ".")) {
                continue;
            }
            String room = pkg.substring(INTERNAL.length() + 1);
            assertThat(ALLOWED).as("every internal package is in the table").containsKey(room);
            Set<String> internalUses = new TreeSet<>();
            for (String used : CORE.uses(pkg)) {
                if (used.startsWith(INTERNAL + ".")) {
                    internalUses.add(used.substring(INTERNAL.length() + 1));
                }
            }
            assertThat(internalUses).as(pkg + " imports").isSubsetOf(ALLOWED.get(room));
            assertThat(CORE.uses(pkg)).as(pkg + " imports the rooms' wiring").doesNotContain(INTERNAL);
        }
    }

    @Test
    void crypto_usesNeitherRecordsNorStorage_andRotationNeitherTheEngineNorTheClient() {
        assertThat(CORE.uses(INTERNAL + ".crypto"))
                .doesNotContain(INTERNAL + ".record", INTERNAL + ".store", INTERNAL + ".repository", INTERNAL + ".keys");
        assertThat(CORE.uses(INTERNAL + ".rotation")).doesNotContain(INTERNAL);
    }

    @Test
    void publicSpiAndAuditPackages_importNoInternals() {
        for (String pkg : Set.of("dev.secrets.spi", "dev.secrets.audit")) {
            assertThat(CORE.uses(pkg)).as(pkg).noneMatch(u -> u.startsWith(INTERNAL));
        }
    }

    @Test
    void core_usesNoOtherModulesInternals() {
        assertThat(CORE.foreignInternalUses()).isEmpty();
    }

    @Test
    void internalCheck_seesAUseOfInternalsFromOutside() {
        // Core's test classes are "another module" for packages they do not have: the manual scheduler
        // fixture uses internal.cache, which has no test class.
        assertThat(load("target/test-classes").foreignInternalUses())
                .contains("dev.secrets.testing.ManualScheduler → dev.secrets.internal.cache.RefreshScheduler");
    }
}
