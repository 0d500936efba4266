package dev.secrets.internal.rotation;

import dev.secrets.ConflictException;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.RotationDescription;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationOutcome;
import dev.secrets.RotationSchedule;
import dev.secrets.RotationSettings;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretsException;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.spi.Rotator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs rotations: settings, the four steps, resume, and the lease that keeps one rotation of a
 * secret at a time across threads, processes and machines.
 *
 * <p>The lease lives in the secret's record ({@link RotationState#leaseOwner},
 * {@link RotationState#leaseUntil}) and is taken, extended and released with the record's
 * compare-and-set, so no lock service is needed: of two clients that try to take it from the same
 * generation, one write wins and the other re-reads and sees a live lease. A lease that is not
 * extended (the process died) expires after {@link #DEFAULT_LEASE}; the next attempt takes it over
 * and resumes from {@link RotationState#completedStep} with the same token, so the steps it repeats
 * see their own earlier work.
 *
 * <p>Thread-safe; one per client.
 */
public final class RotationEngine {
    /** How long a rotation step may run before another process may take the rotation over. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);
    /** The configuration key of the lease: {@code secrets.rotation.lease} ({@code 90s}, {@code 15m}, ISO-8601). */
    public static final String LEASE_KEY = "secrets.rotation.lease";
    /** How long a scheduled rotation waits after a failed attempt before trying again. */
    public static final Duration FAILURE_RETRY = Duration.ofMinutes(15);
    /** The four steps, in order. */
    public static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");
    private static final int MAX_ERROR = 1000;

    private final RotationSupport engine;
    private final Map<String, Rotator> explicit;
    private final Duration lease;
    private final String instance = UUID.randomUUID().toString();
    private final RotationCancel cancels;
    private volatile Map<String, Rotator> discovered;

    public RotationEngine(RotationSupport engine, Collection<Rotator> rotators, Duration lease) {
        this.engine = engine;
        Map<String, Rotator> m = new LinkedHashMap<>();
        for (Rotator r : rotators) {
            m.put(r.name(), r);
        }
        this.explicit = Map.copyOf(m);
        this.lease = lease;
        this.cancels = new RotationCancel(engine, lease, this::release);
    }

    // ================================================================ rotators

    /**
     * The rotator named {@code name}: one given to the client builder, else one found by ServiceLoader.
     *
     * @throws InvalidSecretException naming the rotators that exist
     */
    public Rotator rotator(String name) {
        Rotator r = explicit.get(name);
        if (r == null) {
            r = discovered().get(name);
        }
        if (r == null) {
            TreeSet<String> known = new TreeSet<>(explicit.keySet());
            known.addAll(discovered().keySet());
            throw new InvalidSecretException("unknown rotator '" + name + "'; available: " + String.join(", ", known)
                    + " (a custom rotator is listed in META-INF/services/" + Rotator.class.getName() + ")");
        }
        return r;
    }

    private Map<String, Rotator> discovered() {
        Map<String, Rotator> d = discovered;
        if (d == null) {
            Map<String, Rotator> m = new LinkedHashMap<>();
            for (Rotator r : ServiceLoader.load(Rotator.class, RotationEngine.class.getClassLoader())) {
                m.putIfAbsent(r.name(), r);
            }
            d = Map.copyOf(m);
            discovered = d;
        }
        return d;
    }

    // ================================================================ settings

    public RotationDescription configure(String idText, RotationSettings settings) {
        SecretId id = SecretId.of(idText);
        Rotator rotator = rotator(settings.rotator());
        RotationSchedule.parse(settings.schedule() == null ? "rate(1 day)" : settings.schedule(), settings.zone());
        rotator.validate(settings.parameters());
        try {
            engine.mutate(id, storeId(id), r -> {
                requireLive(id, r);
                RotationState s = r.rotation != null ? r.rotation : new RotationState();
                s.rotator = settings.rotator();
                s.schedule = settings.schedule();
                s.zone = settings.zone();
                s.params = new LinkedHashMap<>(settings.parameters());
                s.enabled = settings.enabled();
                s.nextRotation = null;
                r.rotation = s;
                r.lastChanged = engine.clock().instant().toString();
                return r;
            });
            engine.audit("rotation.configure", id.value(), null, null);
        } catch (RuntimeException e) {
            engine.audit("rotation.configure", id.value(), null, e);
            throw e;
        }
        return engine.describe(id.value()).rotation();
    }

    // ================================================================ rotations

    /**
     * Cancels rotation (AWS CancelRotateSecret): disables the schedule and, when a rotation is in
     * progress, undoes it — now if no runner holds its lease, else at that runner's next step boundary.
     * Undoing sets the target back to the {@code CURRENT} credentials ({@link Rotator#cancelSecret}) and
     * removes the {@code PENDING} label (the version itself stays, unlabelled), so a later rotation
     * starts fresh with a new token.
     *
     * @throws RotationFailedException (step {@code cancelSecret}) when the target cannot be set back;
     *     the cancel stays requested and the next cancel or rotation completes it
     */
    public RotationDescription cancel(String idText) {
        SecretId id = SecretId.of(idText);
        String storeId = storeId(id);
        String me = instance + "/" + UUID.randomUUID();
        try {
            SecretRecord r = cancels.request(id, storeId, me, this::rotator);
            if (r != null) {
                cancels.complete(id, storeId, me, rotator(r.rotation.rotator), r);
            }
            engine.audit("rotation.cancel", id.value(), null, null);
        } catch (RuntimeException e) {
            engine.audit("rotation.cancel", id.value(), null, e);
            throw e;
        }
        return engine.describe(id.value()).rotation();
    }

    /**
     * Rotates now (or resumes the rotation in progress), whatever the schedule.
     *
     * @return the version ID of the new {@code CURRENT}
     * @throws RotationFailedException when a step fails; the next attempt resumes it
     * @throws ConflictException when another client is rotating the secret right now
     */
    public String rotateNow(String idText) {
        return rotate(SecretId.of(idText), true).orElseThrow();
    }

    /** Runs every due rotation (and resumes abandoned ones) among the secrets this client can decrypt. */
    public List<RotationOutcome> runDue() {
        List<RotationOutcome> outcomes = new ArrayList<>();
        Instant now = engine.clock().instant();
        for (SecretDescription d : engine.allSecrets(false)) {
            RotationDescription rd = d.rotation();
            if (rd == null || !rd.enabled() || rd.rotator() == null) {
                continue;
            }
            boolean inProgress = rd.pendingVersion() != null;
            if (!inProgress && (rd.nextRotation() == null || rd.nextRotation().isAfter(now))) {
                continue;
            }
            try {
                rotate(d.id(), false).ifPresent(v -> outcomes.add(new RotationOutcome(d.id(), true, v, null, null)));
            } catch (RotationFailedException e) {
                outcomes.add(new RotationOutcome(d.id(), false, rd.pendingVersion(), e.step(), e.getMessage()));
            } catch (MissingMasterKeyException | ConflictException | SecretNotFoundException e) {
                // Another team's secret, a rotation running elsewhere, or deleted meanwhile: not ours to run now.
            } catch (SecretsException e) {
                outcomes.add(new RotationOutcome(d.id(), false, null, null, e.getMessage()));
            }
        }
        return outcomes;
    }

    /** Empty when not forced and the secret turned out not to be due, or another client holds the lease. */
    private Optional<String> rotate(SecretId id, boolean force) {
        String storeId = storeId(id);
        String me = instance + "/" + UUID.randomUUID();
        Rotator[] rotator = new Rotator[1];
        SecretRecord r = engine.mutate(id, storeId, rec -> {
            requireLive(id, rec);
            RotationState s = rec.rotation;
            if (s == null || s.rotator == null) {
                throw new InvalidSecretException("rotation is not configured for secret '" + id + "'; configure a rotator first");
            }
            rotator[0] = rotator(s.rotator);
            Instant now = engine.clock().instant();
            if (s.leaseOwner != null && s.leaseUntil != null && Instant.parse(s.leaseUntil).isAfter(now)) {
                if (force) {
                    throw new ConflictException("secret '" + id + "' is being rotated by another client (its lease runs until "
                            + s.leaseUntil + "); try again later");
                }
                return null;
            }
            if (!force && !RotationTiming.due(rec, now)) {
                return null;
            }
            s.leaseOwner = me;
            s.leaseUntil = now.plus(lease).toString();
            s.lastAttempt = now.toString();
            if (s.cancelRequested) {
                return rec; // a cancel that did not complete: completed first, below
            }
            if (s.pendingVersion == null) {
                VersionEntry pending = rec.labelled(Label.PENDING.name());
                VersionEntry current = rec.labelled(Label.CURRENT.name());
                // A PENDING version that is not CURRENT is a rotation in progress: adopt it rather than start another.
                s.pendingVersion = pending != null && pending != current ? pending.id : UUID.randomUUID().toString();
                s.completedStep = null;
            }
            return rec;
        });
        RotationState s = r.rotation;
        if (s == null || !me.equals(s.leaseOwner)) {
            return Optional.empty();
        }
        if (s.cancelRequested) {
            cancels.complete(id, storeId, me, rotator[0], r);
            return force ? rotate(id, true) : Optional.empty();
        }
        String token = s.pendingVersion;
        Map<String, String> params = s.params == null ? Map.of() : s.params;
        Instant[] leaseUntil = {Instant.parse(s.leaseUntil)};
        Runnable renew = () -> {
            // Extended once half of it is used, so a long step calling this often writes the record rarely.
            if (engine.clock().instant().isAfter(leaseUntil[0].minus(lease.dividedBy(2)))) {
                leaseUntil[0] = extendLease(id, storeId, me, "during a step");
            }
        };
        DefaultRotationContext ctx = new DefaultRotationContext(engine, id, SecretKind.of(r.kind), token, params, renew);
        int first = s.completedStep == null ? 0 : STEPS.indexOf(s.completedStep) + 1;
        for (int i = first; i < STEPS.size(); i++) {
            String step = STEPS.get(i);
            try {
                run(rotator[0], step, ctx);
            } catch (RuntimeException e) {
                String error = Redaction.redact(describe(e), ctx.seenValues());
                RotationFailedException failure = new RotationFailedException(id.value(), step, "rotation of secret '" + id
                        + "' failed at step " + step + ": " + error + "; the next attempt resumes from this step", e);
                try {
                    release(id, storeId, me, st -> {
                        st.lastOutcome = "failed";
                        st.failedStep = step;
                        st.lastError = error;
                    });
                } catch (RuntimeException recording) {
                    // The store failed too: the lease then expires and the next attempt resumes all the same.
                    failure.addSuppressed(recording);
                }
                engine.audit("rotation." + step, id.value(), token, e);
                engine.metrics().rotation(id.value(), "failed");
                throw failure;
            }
            engine.audit("rotation." + step, id.value(), token, null);
            if (recordStep(id, storeId, me, step) && i < STEPS.size() - 1) {
                cancels.complete(id, storeId, me, rotator[0], engine.mutate(id, storeId, rec -> null));
                throw new RotationFailedException(id.value(), step, "rotation of secret '" + id + "' was cancelled after step "
                        + step + "; the target was set back to CURRENT and PENDING removed", null);
            }
        }
        // PENDING has done its job once CURRENT carries it; a PENDING that is not CURRENT would mean "in progress".
        engine.removeLabel(id.value(), Label.PENDING);
        release(id, storeId, me, st -> {
            st.pendingVersion = null;
            st.completedStep = null;
            st.lastOutcome = "succeeded";
            st.failedStep = null;
            st.lastError = null;
        });
        engine.metrics().rotation(id.value(), "succeeded");
        return Optional.of(token);
    }

    private static void run(Rotator rotator, String step, DefaultRotationContext ctx) {
        switch (step) {
            case "createSecret":
                rotator.createSecret(ctx);
                if (ctx.pendingValue().isEmpty()) {
                    throw new SecretsException("rotator '" + rotator.name() + "' did not store a pending value in createSecret");
                }
                break;
            case "setSecret":
                rotator.setSecret(ctx);
                break;
            case "testSecret":
                rotator.testSecret(ctx);
                break;
            default:
                rotator.finishSecret(ctx);
                if (!ctx.pendingIsCurrent()) {
                    throw new SecretsException("rotator '" + rotator.name() + "' did not make the pending version CURRENT in finishSecret");
                }
        }
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage();
        String text = m == null ? e.getClass().getSimpleName() : m;
        if (e.getCause() != null && e.getCause().getMessage() != null && (m == null || !m.contains(e.getCause().getMessage()))) {
            text += " (" + e.getCause().getMessage() + ")";
        }
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "…" : text;
    }

    /** Records a completed step; true when a cancel was requested meanwhile. */
    private boolean recordStep(SecretId id, String storeId, String me, String step) {
        boolean[] cancel = {false};
        engine.mutate(id, storeId, rec -> {
            RotationState s = rec == null ? null : rec.rotation;
            if (s == null || !me.equals(s.leaseOwner)) {
                throw new ConflictException("lost the rotation lease of secret '" + id + "' after step " + step
                        + " (a step ran longer than the lease, and another client took the rotation over)");
            }
            s.completedStep = step;
            s.leaseUntil = engine.clock().instant().plus(lease).toString();
            cancel[0] = s.cancelRequested;
            return rec;
        });
        return cancel[0];
    }

    /** Extends the lease this runner holds; a lease lost meanwhile is a conflict the step must stop at. */
    private Instant extendLease(SecretId id, String storeId, String me, String when) {
        Instant until = engine.clock().instant().plus(lease);
        engine.mutate(id, storeId, rec -> {
            RotationState s = rec == null ? null : rec.rotation;
            if (s == null || !me.equals(s.leaseOwner)) {
                throw new ConflictException("lost the rotation lease of secret '" + id + "' " + when
                        + " (the lease expired, and another client took the rotation over)");
            }
            s.leaseUntil = until.toString();
            return rec;
        });
        return until;
    }

    void release(SecretId id, String storeId, String me, Consumer<RotationState> change) {
        engine.mutate(id, storeId, rec -> {
            RotationState s = rec == null ? null : rec.rotation;
            if (s == null || !me.equals(s.leaseOwner)) {
                return null; // taken over meanwhile: its new owner reports the outcome
            }
            s.leaseOwner = null;
            s.leaseUntil = null;
            change.accept(s);
            return rec;
        });
    }

    // ================================================================ helpers

    private String storeId(SecretId id) {
        return engine.storeId().orElseThrow(() -> new SecretNotFoundException("secret '" + id + "' does not exist"));
    }

    private static void requireLive(SecretId id, SecretRecord r) {
        if (r == null) {
            throw new SecretNotFoundException("secret '" + id + "' does not exist");
        }
        if (r.deletionDate != null) {
            throw new InvalidSecretException("secret '" + id + "' is scheduled for deletion on " + r.deletionDate
                    + "; restore it before rotating it");
        }
    }
}
