package dev.secrets.internal;

import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.Page;
import dev.secrets.RotationStatus;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.audit.Auditor;
import dev.secrets.internal.read.SortedListing;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.repository.RecordListing;
import dev.secrets.internal.repository.SecretRepository;
import dev.secrets.internal.store.AccessTracker;
import dev.secrets.spi.SecretsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What can be known about secrets without their values: describe one, list pages, walk all of them,
 * and the rotation status. Works for secrets under master keys this client lacks. Thread-safe.
 */
final class SecretCatalog {
    private final SecretRepository repository;
    private final RecordListing listing;
    private final AccessTracker access;
    private final Auditor audit;
    private final Clock clock;
    private final SecretsConfig config;
    private final SecretsMetrics metrics;

    SecretCatalog(SecretRepository repository, RecordListing listing, AccessTracker access, Auditor audit, Clock clock,
                  SecretsConfig config, SecretsMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.repository = repository;
        this.listing = listing;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
    }

    SecretDescription describe(String idText) {
        SecretId id = SecretId.of(idText);
        return audit.audited("secret.describe", id.value(), null, () -> {
            SecretRecord r = repository.loadAnyKey(id);
            if (r == null) {
                throw SecretRepository.notFound(id);
            }
            return Descriptions.of(r, access.lastAccessed(id.value()));
        });
    }

    Page<SecretDescription> list(ListSecretsRequest req) {
        return audit.audited("secret.list", null, null,
                () -> req.sort() == null ? page(req, false) : SortedListing.page(req, r -> page(r, false)));
    }

    /** One page, not audited: for walks over the store (purge, re-wrap, rotation status). */
    private Page<SecretDescription> page(ListSecretsRequest req, boolean includeExpired) {
        Page<SecretRecord> p = listing.page(req, includeExpired, clock.instant());
        List<SecretDescription> items = new ArrayList<>(p.items().size());
        p.items().forEach(r -> items.add(Descriptions.of(r, null)));
        return new Page<>(items, p.nextToken());
    }

    /**
     * Every secret's description (all pages), not audited. {@code includeScheduledForDeletion} also
     * takes those scheduled for deletion, including those past their date that are not purged yet.
     */
    List<SecretDescription> allSecrets(boolean includeScheduledForDeletion) {
        List<SecretDescription> all = new ArrayList<>();
        ListSecretsRequest req = ListSecretsRequest.all();
        if (includeScheduledForDeletion) {
            req = req.includingScheduledForDeletion();
        }
        while (true) {
            Page<SecretDescription> p = page(req, includeScheduledForDeletion);
            all.addAll(p.items());
            if (p.nextToken() == null) {
                return all;
            }
            req = req.withNextToken(p.nextToken());
        }
    }

    /**
     * Secrets whose rotation is overdue (by more than {@code graceSeconds}), failing, or stuck in
     * {@code PENDING}, in ID order. Secrets of every master key are checked: this reads metadata only.
     */
    List<RotationStatus> rotationStatus(long graceSeconds) {
        return audit.audited("rotation.status", null, null, () -> {
            List<RotationStatus> out = new ArrayList<>();
            Instant now = clock.instant();
            Duration maxAge = config.duration(RotationStatusCheck.MAX_AGE, null);
            for (SecretDescription d : allSecrets(false)) {
                if (d.rotation() == null && d.versionWith(Label.PENDING).isEmpty() && maxAge == null
                        && !d.tags().containsKey(RotationStatusCheck.MAX_AGE)) {
                    continue;
                }
                SecretRecord r;
                try {
                    r = repository.loadAnyKey(d.id());
                } catch (SecretTamperedException e) {
                    continue; // reading it reports the tampering; the status lists rotations
                }
                RotationStatusCheck.of(r, now, graceSeconds, maxAge).ifPresent(out::add);
            }
            metrics.secretsTooOld((int) out.stream().filter(st -> st.problems().contains(RotationStatus.Problem.TOO_OLD)).count());
            return out;
        });
    }
}
