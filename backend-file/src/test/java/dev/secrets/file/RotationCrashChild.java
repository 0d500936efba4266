package dev.secrets.file;

import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.rotation.MySqlRotator;
import dev.secrets.internal.rotation.PostgresRotator;
import dev.secrets.spi.Rotator;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.IsolatedConfig;

/**
 * The process {@link FileStoreRotationTest} kills: rotates a secret on a file store with the
 * postgresql rotator and stops after {@code setSecret} (the database already has the new password,
 * the store's CURRENT still the old one), prints {@code BLOCKED} and waits to be killed.
 *
 * <p>Arguments: store directory, secret ID, rotator name; optionally the built-in rotator to run
 * ({@code postgresql}, the default, or {@code mysql}) and the step to stop after (default {@code setSecret}).
 */
public final class RotationCrashChild {
    private RotationCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Rotator real = args.length > 3 && args[3].equals("mysql") ? new MySqlRotator() : new PostgresRotator();
        FaultInjectingRotator rotator = new FaultInjectingRotator(args[2], real).blockAfter(args.length > 4 ? args[4] : "setSecret");
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient client = SecretsClient.builder().config(config).store("file:" + args[0])
                .masterKey("default", FileStoreRotationTest.KEY).rotator(rotator).build();
        Thread reporter = new Thread(() -> {
            try {
                if (rotator.awaitBlocked(120)) {
                    System.out.println("BLOCKED");
                    System.out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reporter.setDaemon(true);
        reporter.start();
        client.rotateNow(args[1]);
        System.out.println("COMPLETED"); // not expected: the test kills this process first
    }
}
