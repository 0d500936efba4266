package dev.secrets.internal.repository;

import dev.secrets.ListSecretsRequest;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.Page;
import dev.secrets.SecretId;
import dev.secrets.SecretTamperedException;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.RefusedObjectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pages of secrets' records in ID order, for listing: one store listing of the {@code secrets/}
 * keys gives each secret's latest generation, which is then read directly. Secrets that cannot be
 * read here (tampered, or under a master key this client lacks and unparseable) are left out: read
 * by ID, they report the problem. Thread-safe.
 */
public final class RecordListing {
    private static final int STORE_PAGE = 1000;

    private final ObjectStore store;
    private final SecretRepository repository;
    private final Consumer<String> invalidObject;

    /**
     * @param invalidObject told of each key under {@code secrets/} whose ID is invalid (planted there: it is
     *                      skipped, so that it cannot break the walk for every other secret); must not throw
     */
    public RecordListing(ObjectStore store, SecretRepository repository, Consumer<String> invalidObject) {
        this.store = store;
        this.repository = repository;
        this.invalidObject = invalidObject;
    }

    /**
     * One page of records matching {@code req} (prefix, tags, deletion state), in ID order; the next
     * token is the last ID returned. {@code includeExpired}: also secrets past their deletion date,
     * not purged yet.
     */
    public Page<SecretRecord> page(ListSecretsRequest req, boolean includeExpired, Instant now) {
        Optional<String> storeId = repository.storeId();
        if (storeId.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        String keyPrefix = SecretRepository.SECRETS + req.prefix();
        String after = req.nextToken() == null ? null : RecordLog.after(SecretRepository.SECRETS + req.nextToken());
        List<SecretRecord> out = new ArrayList<>();
        while (true) {
            ListPage page = store.list(keyPrefix, after, STORE_PAGE);
            // Keys of one secret are contiguous; keep the highest generation key of each ID, in order.
            Map<String, String> latest = new LinkedHashMap<>();
            Map<String, String> lastKey = new LinkedHashMap<>();
            for (String k : page.keys()) {
                String id = secretIdOf(k);
                if (id == null || !id.startsWith(req.prefix())) {
                    continue; // prefix "a/" also matches the keys of secret "a" (secrets/a/~…)
                }
                if (SecretId.problem(id) != null) {
                    invalidObject.accept(k); // planted: it must not break the walk for every other secret
                    continue;
                }
                latest.merge(id, k, (a, b) -> RecordLog.generationOf(a) >= RecordLog.generationOf(b) ? a : b);
                lastKey.put(id, k);
            }
            List<String> ids = new ArrayList<>(latest.keySet());
            // On a truncated page the last ID may have more keys on the next one: take it up there.
            boolean holdTail = page.truncated() && ids.size() > 1;
            int n = holdTail ? ids.size() - 1 : ids.size();
            for (int i = 0; i < n; i++) {
                String id = ids.get(i);
                SecretRecord r = page.truncated() && ids.size() == 1
                        ? loadListed(id) : readListed(id, latest.get(id), storeId.get());
                if (r == null || !matches(r, req, now, includeExpired)) {
                    continue;
                }
                out.add(r);
                if (out.size() == req.pageSize()) {
                    return new Page<>(out, id);
                }
            }
            if (!page.truncated()) {
                return new Page<>(out, null);
            }
            if (holdTail) {
                after = lastKey.get(ids.get(n - 1));
            } else if (ids.isEmpty()) {
                after = page.keys().get(page.keys().size() - 1);
            } else {
                after = RecordLog.after(SecretRepository.SECRETS + ids.get(0));
            }
        }
    }

    /** The secret ID whose record log {@code key} is a generation of, or null for any other key. */
    private static String secretIdOf(String key) {
        String name = RecordLog.nameOf(key);
        if (name == null || !name.startsWith(SecretRepository.SECRETS) || name.length() == SecretRepository.SECRETS.length()) {
            return null;
        }
        return name.substring(SecretRepository.SECRETS.length());
    }

    private SecretRecord loadListed(String id) {
        try {
            return repository.loadAnyKey(SecretId.of(id));
        } catch (SecretTamperedException | MissingMasterKeyException e) {
            return null;
        }
    }

    private SecretRecord readListed(String id, String key, String storeId) {
        try {
            Optional<byte[]> bytes = store.get(key);
            if (bytes.isPresent()) {
                return repository.decodeForListing(id, repository.parse(id, key, bytes.get()), storeId);
            }
            return repository.loadAnyKey(SecretId.of(id)); // compacted since listed
        } catch (SecretTamperedException | MissingMasterKeyException | RecordLog.CorruptRecordException
                 | RefusedObjectException e) {
            return null; // listed by ID elsewhere; reading it reports the problem
        }
    }

    private static boolean matches(SecretRecord r, ListSecretsRequest req, Instant now, boolean includeExpired) {
        if (r.deletionDate != null) {
            if ((!includeExpired && !now.isBefore(Instant.parse(r.deletionDate))) || !req.includeScheduledForDeletion()) {
                return false;
            }
        }
        return req.matches(r.id, r.description, r.tags);
    }
}
