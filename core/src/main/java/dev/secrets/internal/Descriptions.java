package dev.secrets.internal;

import dev.secrets.RotationDescription;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import dev.secrets.VersionDescription;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.rotation.RotationTiming;
import dev.secrets.internal.record.VersionEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The value-free {@link SecretDescription} of a record. Stateless. */
final class Descriptions {
    private Descriptions() {
    }

    /** {@code r} described, newest version first; {@code lastAccessed} may be null (unknown, or not asked for). */
    static SecretDescription of(SecretRecord r, Instant lastAccessed) {
        List<VersionDescription> versions = new ArrayList<>();
        for (int i = r.versions.size() - 1; i >= 0; i--) {
            VersionEntry v = r.versions.get(i);
            versions.add(new VersionDescription(v.id, v.labelSet(), Instant.parse(v.created), v.keyVersion, instant(v.destroyed)));
        }
        RotationDescription rot = null;
        RotationState s = r.rotation;
        if (s != null) {
            // Computed, not stored: a manual write of CURRENT moves the next rotation without touching the settings.
            rot = new RotationDescription(s.rotator, s.schedule, s.params, s.enabled, RotationTiming.nextRotation(r),
                    instant(s.lastAttempt), s.lastOutcome, s.failedStep, s.lastError, s.pendingVersion, s.zone);
        }
        return new SecretDescription(SecretId.of(r.id), SecretKind.of(r.kind), r.description == null ? "" : r.description,
                r.tags, r.keyName, instant(r.created), instant(r.lastChanged), lastAccessed, instant(r.lastRotated), rot, versions,
                instant(r.deletionDate));
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
