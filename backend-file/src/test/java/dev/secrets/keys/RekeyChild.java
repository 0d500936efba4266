package dev.secrets.keys;

import dev.secrets.SecretsClient;
import dev.secrets.WrongMasterKeyException;
import java.nio.file.Path;

/**
 * Child JVM of {@link RekeyCrashTest}: moves master key {@code default} of the store back and forth
 * between two roots, forever, printing {@code REKEYING n} as a rekey starts and {@code REKEYED n}
 * once it is acknowledged, until it is
 * killed. Arguments: store directory, root A, root B. The PIN comes from the environment.
 */
public final class RekeyChild {
    private RekeyChild() {
    }

    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        String a = args[1];
        String b = args[2];
        for (int n = 1; ; n++) {
            String from;
            String to;
            // Whichever root opens the keyring now is the one to move from.
            try (SecretsClient probe = KeyFixtures.client(store, a, System.getenv())) {
                probe.describeMasterKey("default");
                from = a;
                to = b;
            } catch (WrongMasterKeyException e) {
                from = b;
                to = a;
            }
            try (SecretsClient c = KeyFixtures.client(store, from, System.getenv())) {
                System.out.println("REKEYING " + n);
                System.out.flush();
                c.rekey("default", to);
            }
            System.out.println("REKEYED " + n);
            System.out.flush();
        }
    }
}
