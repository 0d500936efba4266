package dev.secrets.internal.rotation;

import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.RotationFailedException;
import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.spi.Rotator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Cancelling a rotation, in two halves. {@link #request} disables the schedule and, if a rotation is
 * in progress, marks it {@code cancelRequested} in the record (compare-and-set, like the lease); when
 * no runner holds a live lease it takes the lease so that the caller completes the cancel at once,
 * else the runner completes it at its next step boundary. {@link #complete}, run by the lease holder,
 * asks the rotator to set the target back ({@link Rotator#cancelSecret}), removes the {@code PENDING}
 * label and clears the rotation's progress. A cancel that could not complete (target unreachable)
 * stays requested; the next cancel or rotation completes it first.
 *
 * <p>Unlike AWS, which leaves {@code AWSPENDING} on the partial version for the operator to remove,
 * the {@code PENDING} label is removed: here a {@code PENDING} version that is not {@code CURRENT}
 * means "rotation in progress", and a later rotation must start fresh. The version stays, unlabelled.
 */
final class RotationCancel {
    /** How the engine releases the lease with a change to the rotation state. */
    interface Release {
        void release(SecretId id, String storeId, String me, Consumer<RotationState> change);
    }

    private final RotationSupport engine;
    private final Duration lease;
    private final Release release;

    RotationCancel(RotationSupport engine, Duration lease, Release release) {
        this.engine = engine;
        this.lease = lease;
        this.release = release;
    }

    /**
     * Disables the schedule and requests the cancel of a rotation in progress.
     *
     * @return the record with the lease taken by {@code me} when the caller must complete the cancel now,
     *     else null (nothing in progress, or a live runner completes it)
     */
    SecretRecord request(SecretId id, String storeId, String me, Function<String, Rotator> rotators) {
        boolean[] mine = {false};
        SecretRecord r = engine.mutate(id, storeId, rec -> {
            mine[0] = false;
            if (rec == null) {
                throw new SecretNotFoundException("secret '" + id + "' does not exist");
            }
            RotationState s = rec.rotation;
            if (s == null || s.rotator == null) {
                throw new InvalidSecretException("rotation is not configured for secret '" + id + "'; there is nothing to cancel");
            }
            rotators.apply(s.rotator);
            s.enabled = false;
            s.nextRotation = null;
            VersionEntry pending = rec.labelled(Label.PENDING.name());
            VersionEntry current = rec.labelled(Label.CURRENT.name());
            if (s.pendingVersion == null && (pending == null || pending == current)) {
                return rec; // nothing in progress: only the schedule is turned off
            }
            if (s.pendingVersion == null) {
                s.pendingVersion = pending.id;
            }
            s.cancelRequested = true;
            Instant now = engine.clock().instant();
            if (s.leaseOwner != null && s.leaseUntil != null && Instant.parse(s.leaseUntil).isAfter(now)) {
                return rec; // the runner completes it at its next step boundary
            }
            s.leaseOwner = me;
            s.leaseUntil = now.plus(lease).toString();
            mine[0] = true;
            return rec;
        });
        return mine[0] ? r : null;
    }

    /** Completes a requested cancel; {@code me} holds the lease of {@code r}. */
    void complete(SecretId id, String storeId, String me, Rotator rotator, SecretRecord r) {
        RotationState s = r.rotation;
        String token = s.pendingVersion;
        if (token != null) {
            Map<String, String> params = s.params == null ? Map.of() : s.params;
            DefaultRotationContext ctx = new DefaultRotationContext(engine, id, SecretKind.of(r.kind), token, params, () -> { });
            if (ctx.pendingValue().isPresent() && !ctx.pendingIsCurrent()) {
                try {
                    rotator.cancelSecret(ctx);
                } catch (RuntimeException e) {
                    String error = Redaction.redact(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                            ctx.seenValues());
                    release.release(id, storeId, me, st -> {
                        st.lastOutcome = "failed";
                        st.failedStep = "cancelSecret";
                        st.lastError = error;
                    });
                    engine.audit("rotation.cancelSecret", id.value(), token, e);
                    throw new RotationFailedException(id.value(), "cancelSecret", "cancelling the rotation of secret '" + id
                            + "' failed: " + error + "; the cancel stays requested, and the next cancel or rotation completes it", e);
                }
                engine.audit("rotation.cancelSecret", id.value(), token, null);
            }
        }
        VersionEntry pending = r.labelled(Label.PENDING.name());
        if (pending != null) {
            engine.removeLabel(id.value(), Label.PENDING);
        }
        release.release(id, storeId, me, st -> {
            st.pendingVersion = null;
            st.completedStep = null;
            st.cancelRequested = false;
            st.lastOutcome = "cancelled";
            st.failedStep = null;
            st.lastError = null;
        });
    }
}
