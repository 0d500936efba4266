package dev.secrets.spi;

import java.util.Map;

/**
 * Rotates a secret in four steps, the contract of AWS Secrets Manager rotation functions. The
 * engine calls the steps in order, each with the same {@link RotationContext} token; a step that
 * fails, or a process that dies, leaves the rotation to be resumed later from the step that did not
 * complete — so <b>every step must be idempotent</b> and safe to run again after a partial run.
 *
 * <ol>
 *   <li>{@link #createSecret}: make the new value and store it with
 *       {@link RotationContext#putPendingValue} (labelled {@code PENDING}, version ID = the token).
 *       If {@link RotationContext#pendingValue()} is already present, do nothing.</li>
 *   <li>{@link #setSecret}: apply the pending value to the target system (database, service). The
 *       pending value is stored before this step runs, so the target never holds a credential that
 *       no stored version holds.</li>
 *   <li>{@link #testSecret}: prove the pending value works on the target.</li>
 *   <li>{@link #finishSecret}: make the pending version {@code CURRENT}
 *       ({@link RotationContext#promotePending()}); the old one becomes {@code PREVIOUS}.</li>
 * </ol>
 *
 * <p>Rotators are found by {@link #name()} through {@link java.util.ServiceLoader}: a custom rotator is
 * a public class with a public no-argument constructor, listed in
 * {@code META-INF/services/dev.secrets.spi.Rotator}. Built in: {@code random-password} and
 * {@code postgresql}. Instances are shared by all rotations of a client and must be thread-safe.
 *
 * <p>Exceptions thrown by a step fail the rotation at that step; their messages are kept in the
 * secret's rotation status and must never contain a secret value.
 *
 * <p><b>Security contract.</b> Rotation parameters and the fields of the rotated secret are written
 * by whoever may configure that secret, while the runner ({@code secrets rotation run-due}, a
 * scheduler) may hold the keys of several teams. A rotator therefore:
 * <ul>
 *   <li>reads other secrets only through {@link RotationContext#readSecret}, which returns only
 *       secrets under the rotated secret's own master key;</li>
 *   <li>sends a credential read from another secret (an admin login) only to the endpoint that
 *       secret itself names, never to a host or port taken from the rotated secret or a
 *       parameter; the built-in {@code postgresql} rotator requires the admin secret and the
 *       rotated secret to name the same server;</li>
 *   <li>refuses connection settings that execute code or weaken TLS checks (the {@code h2}
 *       rotator refuses any {@code ;} setting such as {@code INIT=RUNSCRIPT FROM 'http://…'});
 *       builds URLs only from checked fields ({@link dev.secrets.DatabaseCredentials} checks
 *       {@code host}, {@code port} and {@code dbname}); and checks these rules both in
 *       {@link #validate} and when a step runs, since settings may predate the checks.</li>
 * </ul>
 */
public interface Rotator {
    /** The name settings refer to, e.g. {@code random-password}. */
    String name();

    /**
     * Checks rotation parameters when rotation is configured, before anything is written.
     *
     * @throws dev.secrets.InvalidSecretException naming the parameter that is missing or wrong
     */
    default void validate(Map<String, String> parameters) {
    }

    /** Step 1: create the new value and store it as {@code PENDING} (once per token). */
    void createSecret(RotationContext context);

    /** Step 2: apply the pending value to the target system. Default: nothing to apply. */
    default void setSecret(RotationContext context) {
    }

    /** Step 3: prove that the pending value works on the target system. Default: nothing to test. */
    default void testSecret(RotationContext context) {
    }

    /**
     * Undoes a cancelled rotation on the target: after {@code setSecret} may have run, make the target
     * accept the {@code CURRENT} (and {@code PREVIOUS}) credentials again rather than the pending ones.
     * Called with the cancelled rotation's token when its pending value exists and is not
     * {@code CURRENT}; the engine then removes the {@code PENDING} label. Must be idempotent. Default:
     * nothing to undo.
     */
    default void cancelSecret(RotationContext context) {
    }

    /** Step 4: make the pending version {@code CURRENT}. */
    default void finishSecret(RotationContext context) {
        context.promotePending();
    }
}
