package dev.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class ServerSupportTest {

    @Test
    void unavailableOnCi_failsTheBuild() {
        assertThat(ServerSupport.unavailable("PostgreSQL 15 is not installed", "true"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("PostgreSQL 15 is not installed");
    }

    @Test
    void unavailableOffCi_skipsTheTest() {
        assertThat(ServerSupport.unavailable("PostgreSQL 15 is not installed", null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageStartingWith("PostgreSQL 15 is not installed");
        assertThat(ServerSupport.unavailable("PostgreSQL 15 is not installed", "false"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void randomPassword_isLongAndNeedsNoQuoting() {
        assertThat(ServerSupport.randomPassword()).matches("[A-Za-z0-9]{24}")
                .isNotEqualTo(ServerSupport.randomPassword());
    }
}
