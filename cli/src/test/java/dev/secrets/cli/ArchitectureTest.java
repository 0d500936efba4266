package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.testing.PackageDependencies;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** This module's compiled main classes use no other module's {@code internal} packages, and its packages form no cycle. */
class ArchitectureTest {
    @Test
    void mainCode_usesNoOtherModulesInternals_andHasNoPackageCycle() throws IOException {
        PackageDependencies d = PackageDependencies.of(Path.of("target/classes"));

        assertThat(d.packages()).contains("dev.secrets.cli");
        assertThat(d.foreignInternalUses()).isEmpty();
        assertThat(d.cycles(Set.of())).isEmpty();
    }
}
