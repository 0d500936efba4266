package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.testing.PackageDependencies;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of core, checked over its compiled classes: no cycle between its packages (the root API
 * package aside: its values are used by every room and its facade uses them), crypto and storage
 * independent of each other, rotation behind its narrow interface.
 */
class ArchitectureTest {
    private static final PackageDependencies CORE = load();

    private static PackageDependencies load() {
        try {
            return PackageDependencies.of(Path.of("target/classes"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void corePackages_haveNoCycle() {
        assertThat(CORE.packages()).contains("dev.secrets.internal.cache", "dev.secrets.internal.repository");
        assertThat(CORE.cycles(Set.of("dev.secrets"))).isEmpty();
    }

    @Test
    void cycleCheck_findsTheRootPackagesOwnCycle_whenItIsNotLeftOut() {
        // The facade (dev.secrets) uses the rooms and the rooms use its values: the check sees that circle.
        assertThat(CORE.cycles(Set.of())).anySatisfy(c -> assertThat(c).startsWith("[dev.secrets, "));
    }

    @Test
    void crypto_usesNeitherRecordsNorStorage() {
        assertThat(CORE.uses("dev.secrets.internal.crypto"))
                .doesNotContain("dev.secrets.internal.record", "dev.secrets.internal.store", "dev.secrets.internal.repository",
                        "dev.secrets.internal.keys");
    }

    @Test
    void rotation_dependsOnItsNarrowInterface_notOnTheEngineOrTheClient() {
        assertThat(CORE.uses("dev.secrets.internal.rotation")).doesNotContain("dev.secrets.internal");
    }

    @Test
    void core_usesNoOtherModulesInternals() {
        assertThat(CORE.foreignInternalUses()).isEmpty();
    }
}
