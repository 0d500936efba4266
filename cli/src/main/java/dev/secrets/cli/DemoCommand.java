package dev.secrets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.secrets.CreateSecretRequest;
import dev.secrets.RandomPassword;
import dev.secrets.RotationSettings;
import dev.secrets.Label;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.audit.AuditLogVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code secrets demo}: the project's main job, for real, on embedded defaults — a file store with
 * a new master key, an embedded H2 database, a database secret, connections through the
 * {@code jdbc:secrets:} driver, a password rotation by the rotation engine with the {@code h2} rotator,
 * the versions and labels, and the audit trail. Every step happens; nothing is simulated. No value is printed.
 */
@Command(name = "demo", sortOptions = false, description = {"Run the whole job on embedded defaults, in a fresh folder, and say what each step did:",
        "a file store with a new master key, an H2 database and its secret, connections through jdbc:secrets:h2:…,",
        "a password rotation, a connection with the new password, the versions and their labels, the audit trail."},
        footer = {"", "Examples:", "  ./secrets demo", "  ./secrets demo --dir /tmp/secrets-demo"})
final class DemoCommand extends BaseCommand {
    static final String SECRET_ID = "demo/orders-db";
    private static final String ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    @Option(names = "--dir", paramLabel = "DIR",
            description = "the folder to work in; must not exist yet (default: ./.secrets-demo/TIMESTAMP)")
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private int step;

    @Override
    public Integer call() throws IOException, SQLException {
        long started = System.nanoTime();
        Path base = (dir != null ? dir : Path.of(".secrets-demo", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
                .toAbsolutePath().normalize();
        if (Files.exists(base) && (!Files.isDirectory(base) || Files.list(base).findAny().isPresent())) {
            throw new CliException(base + " already exists and is not empty; the demo runs in a fresh folder (choose another --dir)");
        }
        Files.createDirectories(base);
        PrintStream out = out();
        out.println("secrets demo in " + base);

        // 1. A store and its master key.
        Path keyFile = base.resolve("master.key");
        String keyUri = KeyFiles.write(keyFile, random);
        String storeUri = "file:" + base.resolve("store");
        Path auditLog = base.resolve("audit.log");
        SecretsConfig cfg = SecretsConfig.builder().environment(io().env())
                .set(SecretsConfig.STORE, storeUri).set(SecretsConfig.KEY, keyUri).set(SecretsConfig.AUDIT_LOG, auditLog.toString()).build();
        try (SecretsClient client = root().client(cfg)) {
            String storeId = client.initialize("default");
            say("created a file store in " + base.resolve("store") + " (store ID " + storeId + ") with a new random master key in "
                    + keyFile + " (mode 0600)");

            // 2. An embedded database with an application user.
            String dbUrl = "jdbc:h2:file:" + base.resolve("db").resolve("orders");
            String adminPassword = password(24);
            String appPassword = password(24);
            try (Connection admin = DriverManager.getConnection(dbUrl, "sa", adminPassword); Statement s = admin.createStatement()) {
                s.execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(100))");
                s.execute("INSERT INTO orders VALUES (1, 'tea'), (2, 'coffee'), (3, 'cake')");
                s.execute("CREATE USER app PASSWORD '" + appPassword + "'");
                s.execute("GRANT SELECT ON orders TO app");
            }
            say("created an embedded H2 database " + dbUrl + " with a table of 3 orders and a user 'app' that may read it");

            // 3. The database secret.
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("engine", "h2");
            fields.put("username", "app");
            fields.put("password", appPassword);
            fields.put("dbname", "orders");
            SecretDescription created = client.createSecret(CreateSecretRequest.of(SECRET_ID, SecretKind.DATABASE, SecretValue.ofFields(fields))
                    .withDescription("the demo's H2 database").withTag("app", "demo"));
            String v1 = created.versionWith(Label.CURRENT).orElseThrow().versionId();
            appPassword = null;
            say("stored the database credentials as secret " + SECRET_ID + " (kind database), encrypted in the store; version " + v1
                    + " is CURRENT");

            // 4. Connect through the secrets driver: the URL and the configuration hold no password.
            String secretsUrl = "jdbc:secrets:" + dbUrl.substring("jdbc:".length());
            Properties props = new Properties();
            props.setProperty("user", SECRET_ID);
            props.setProperty(SecretsConfig.STORE, storeUri);
            props.setProperty(SecretsConfig.KEY, keyUri);
            say("connected through " + secretsUrl + " with user=" + SECRET_ID + ": " + query(secretsUrl, props));

            // 5. Rotate the password with the rotation engine and the h2 rotator: the four steps of the contract.
            SecretVersion current = client.refresh(SECRET_ID);
            client.configureRotation(SECRET_ID, RotationSettings.of(H2Rotator.NAME, "rate(30 days)").withParameter(H2Rotator.URL, dbUrl)
                    .withParameter(RandomPassword.EXCLUDE_CHARACTERS, "'\"\\"));
            say("set rotation of " + SECRET_ID + ": rotator h2 (ALTER USER … SET PASSWORD as the user itself), every 30 days");
            String v2 = client.rotateNow(SECRET_ID);
            say("rotated the password now, in the four steps of the rotation contract (each one as recorded in the audit trail):");
            java.util.Set<String> done = new java.util.HashSet<>();
            for (String line : Files.readAllLines(auditLog)) {
                JsonNode e = CliJson.JSON.readTree(line);
                if (v2.equals(e.path("versionId").asText()) && "success".equals(e.path("outcome").asText())) {
                    done.add(e.path("action").asText());
                }
            }
            step(done, "createSecret", "generated a new random password and stored it as version " + v2 + " labelled PENDING");
            step(done, "setSecret", "   logged in to H2 as 'app' with the CURRENT password and set the PENDING one");
            step(done, "testSecret", "  logged in to H2 with the PENDING password");
            step(done, "finishSecret", "moved CURRENT to version " + v2 + "; version " + v1 + " is now PREVIOUS");

            // 6. The old password is refused; the driver still connects.
            try (Connection c = DriverManager.getConnection(dbUrl, current.field("username"), current.field("password"))) {
                throw new CliException("the database still accepts the old password after the rotation");
            } catch (SQLException refused) {
                say("the database now refuses the old password (SQLState " + refused.getSQLState() + ")");
            }
            say("connected again through " + secretsUrl + ", same URL and settings, now with the new password: " + query(secretsUrl, props));

            // 7. Versions and labels.
            say("the versions of " + SECRET_ID + " and their labels:");
            Views.versionsText(client.describeSecret(SECRET_ID).versions(), out, "     ");
        }

        // 8. The audit trail this run left, and its hash chain.
        AuditLogVerifier.Result verified = AuditLogVerifier.verify(auditLog);
        say("the audit trail in " + auditLog + " (" + verified.entries() + " entries, hash chain "
                + (verified.valid() ? "verified" : "BROKEN: " + verified.problem().get()) + "; no values in it):");
        for (String line : Files.readAllLines(auditLog)) {
            JsonNode e = CliJson.JSON.readTree(line);
            out.printf("     %3d  %-24s  %-22s  %-8s  %s%n", e.path("seq").asInt(), e.path("time").asText().substring(0, 19), e.path("action").asText(),
                    e.path("outcome").asText(), e.path("secretId").asText("") + (e.hasNonNull("versionId") ? " " + e.path("versionId").asText() : ""));
        }
        out.printf("done in %.1f s. Everything is in %s; look around with:%n", (System.nanoTime() - started) / 1e9, base);
        out.println("  ./secrets --store " + storeUri + " --key " + keyUri + " describe " + SECRET_ID);
        out.println("  SECRETS_AUDIT_LOG=" + auditLog + " ./secrets audit verify");
        return Main.OK;
    }

    private void say(String line) {
        out().println(String.format("%2d. ", ++step) + line);
    }

    private void detail(String line) {
        out().println("    - " + line);
    }

    private void step(java.util.Set<String> done, String name, String what) {
        detail(name + ": " + (done.contains("rotation." + name) ? what.strip() : "NOT RECORDED in the audit trail"));
    }

    private String password(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }

    /** Who the connection is and what it sees. */
    private static String query(String url, Properties props) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT CURRENT_USER, COUNT(*) FROM orders")) {
            r.next();
            return "logged in as " + r.getString(1) + ", " + r.getInt(2) + " orders";
        }
    }
}
