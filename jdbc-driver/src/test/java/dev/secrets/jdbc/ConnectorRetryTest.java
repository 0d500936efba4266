package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.jdbc.internal.Connector;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector's retries after a refused login, against a real (in-memory H2) database, on a clock
 * of the test's own: each wait advances the clock instead of sleeping, so the backoff and the retry
 * budget are checked exactly and at once.
 */
class ConnectorRetryTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final TestStore store = TestStore.create();
    private final List<Duration> waits = new ArrayList<>();
    private long now = 1_000_000_000L;
    /** Run when the clock first reaches {@link #eventAt}: the other side of a race (a rotator writing the store). */
    private Runnable event;
    private Duration eventAt;
    private final Connector connector = new Connector(SecretsDriver.class, () -> now, nanos -> {
        waits.add(Duration.ofNanos(nanos));
        now += nanos;
        if (event != null && Duration.ofNanos(now - 1_000_000_000L).compareTo(eventAt) >= 0) {
            Runnable e = event;
            event = null;
            e.run();
        }
    });
    private String h2Url;
    private Connection admin;

    @BeforeEach
    void startDatabase() throws SQLException {
        h2Url = "jdbc:h2:mem:retry" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        admin = DriverManager.getConnection(h2Url, "SA", "");
    }

    @AfterEach
    void stopDatabase() throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private void sql(String statement) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(statement);
        }
    }

    private String secretsUrl() {
        return "jdbc:secrets:" + h2Url.substring("jdbc:".length());
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void retries_waitOnTheInjectedClock_untilTheStoreCatchesUpWithTheDatabase() throws Exception {
        sql("CREATE USER APP PASSWORD 'old-password' ADMIN");
        store.createDatabaseSecret("single-user", "APP", "old-password");
        sql("ALTER USER APP SET PASSWORD 'new-password'");
        // The rotator moves CURRENT only after the database has the new password: 400 ms later.
        eventAt = Duration.ofMillis(400);
        event = () -> store.put("single-user", "APP", "new-password");

        try (Connection c = connector.connect(secretsUrl(), store.props("single-user"))) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
        // 100 ms, 200 ms, then 400 ms (the store moved during it): the next read found the new password.
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void secretThatNeverWorks_stopsRetryingWithinTheBudget_withoutShowingThePassword() throws SQLException {
        String canary = TestStore.canary();
        sql("CREATE USER APP PASSWORD 'the-real-password' ADMIN");
        store.createDatabaseSecret("wrong", "APP", canary);
        Properties props = store.props("wrong");
        props.setProperty("secrets.jdbc.retry-budget", "800ms");
        props.setProperty("secrets.jdbc.max-retries", "1000");

        assertThatThrownBy(() -> connector.connect(secretsUrl(), props))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("refused the login of user 'APP' from secret 'wrong'")
                .hasMessageContaining("secrets.jdbc.retry-budget=800ms")
                .hasMessageContaining("4 retries in 800 ms")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"))
                .satisfies(e -> TestStore.assertNoCanary(e, canary));
        // Capped exponential backoff, the last wait cut to what was left of the budget.
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(100));
    }
}
