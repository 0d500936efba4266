package dev.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerSupportTest {

    @Test
    void aMissingServer_failsTheTest_inCiOrNot_withOneLineNamingTheSetUpCommand() {
        // Whatever CI says: the surefire JVM of this test may or may not have CI=true, and the answer must not depend on it.
        RuntimeException e = ServerSupport.unavailable("PostgreSQL 15 is not installed");
        assertThat(e).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("PostgreSQL 15 is not installed")
                .hasMessageContaining("run ./test ");
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void theSetUpCommandNamed_isTheProjectsExecutableScript() {
        // Tests run in their module's folder; the script is at the project's root.
        Path script = Path.of("..").resolve(ServerSupport.SETUP_COMMAND).normalize();
        assertThat(script).isRegularFile();
        assertThat(Files.isExecutable(script)).isTrue();
    }

    @Test
    void randomPassword_isLongAndNeedsNoQuoting() {
        assertThat(ServerSupport.randomPassword()).matches("[A-Za-z0-9]{24}")
                .isNotEqualTo(ServerSupport.randomPassword());
    }
}
