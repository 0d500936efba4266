package dev.secrets.internal.record;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rotation settings and progress of one secret, kept in its record so that the record log's
 * compare-and-set also guards rotations (the lease) across processes and machines.
 */
public final class RotationState {
    /** Rotator name (ServiceLoader), e.g. {@code random-password}, {@code postgresql}. */
    public String rotator;
    /** {@code rate(N days)}, {@code rate(N hours)} or a cron expression. */
    public String schedule;
    /** Time zone of a cron schedule; UTC when absent. */
    public String zone;
    public Map<String, String> params = new LinkedHashMap<>();
    public boolean enabled = true;
    public String nextRotation;
    /** The version ID (rotation token) of the rotation in progress, if any. */
    public String pendingVersion;
    /** Step of the rotation in progress that last completed: create, set, test, finish. */
    public String completedStep;
    /** Set by a cancel while a rotation is in progress; the lease holder (or the next attempt) then undoes it. */
    public boolean cancelRequested;
    public String leaseOwner;
    public String leaseUntil;
    public String lastAttempt;
    /** {@code succeeded} or {@code failed}. */
    public String lastOutcome;
    public String failedStep;
    /** Value-free error of the last failure: exception class and message. */
    public String lastError;
}
