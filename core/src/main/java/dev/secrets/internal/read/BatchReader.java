package dev.secrets.internal.read;

import dev.secrets.BatchGetError;
import dev.secrets.BatchGetResult;
import dev.secrets.Page;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsException;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.StoredObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code CURRENT} values of many secrets with one listing instead of one per secret.
 *
 * <p>The record log reads a secret by listing its generations and getting the highest. Here one
 * listing of the IDs' common key prefix finds the highest generation of every asked-for secret at
 * once, then each is got. The same proof as {@link RecordLog#read} makes the object got the one
 * listed: on a store that gives ETags (S3), the GET's ETag equals the listing's; on one that does not
 * (the file store), one more listing of the same prefix shows the same highest generation. A secret
 * for which neither holds is read alone through {@link RecordLog#read}. An ID absent from the listing
 * does not exist, unless this client verified its record before: a log is never emptied, so the listing
 * ran while a write compacted it, and the secret is read alone.
 *
 * <p>The listing never costs more requests than reading each secret alone would: it stops after as
 * many pages as there are IDs, and the IDs it has not passed by then are read alone.
 *
 * <p>Decoding, checks, decryption, audit and caching stay with the engine ({@link Opener}). Thread-safe.
 */
public final class BatchReader {
    private static final String SECRETS = "secrets/";
    private static final int PAGE = 1000;

    /** Opens the {@code CURRENT} version of a secret from its latest record (null: no record). */
    @FunctionalInterface
    public interface Opener {
        SecretVersion open(SecretId id, RecordLog.Entry latest);
    }

    private final ObjectStore store;
    private final RecordLog log;
    private final Opener opener;

    public BatchReader(ObjectStore store, RecordLog log, Opener opener) {
        this.store = store;
        this.log = log;
        this.opener = opener;
    }

    /**
     * The values of the secrets a listing page holds, with the page's next token: in the page's order
     * when the listing was {@code sorted}, else in ID order.
     */
    public BatchGetResult readPage(Page<SecretDescription> page, boolean sorted) {
        List<String> ids = page.items().stream().map(d -> d.id().value()).toList();
        return (sorted ? readInOrder(ids) : read(ids)).withNextToken(page.nextToken());
    }

    /** As {@link #read}, with the values in the order of {@code ids} (a sorted listing's) instead of ID order. */
    public BatchGetResult readInOrder(List<String> ids) {
        BatchGetResult r = read(ids);
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            pos.putIfAbsent(ids.get(i), i);
        }
        List<SecretVersion> ordered = new ArrayList<>(r.values());
        ordered.sort(Comparator.comparing(v -> pos.get(v.secretId().value())));
        return new BatchGetResult(ordered, r.errors(), null);
    }

    /** The values of {@code ids} (duplicates read once), in ID order, and an error for each that could not be read. */
    public BatchGetResult read(List<String> ids) {
        List<BatchGetError> errors = new ArrayList<>();
        TreeSet<String> wanted = new TreeSet<>();
        for (String id : ids) {
            String problem = id == null ? "a secret ID is null" : SecretId.problem(id);
            if (problem != null) {
                errors.add(new BatchGetError(String.valueOf(id), BatchGetError.INVALID_PARAMETER, problem));
            } else {
                wanted.add(id);
            }
        }
        Map<String, RecordLog.Entry> found = new HashMap<>();
        Set<String> alone = new HashSet<>();
        if (!wanted.isEmpty()) {
            locate(wanted, found, alone);
        }
        List<SecretVersion> values = new ArrayList<>();
        for (String id : wanted) {
            try {
                RecordLog.Entry entry = found.get(id);
                if (entry == null && alone.contains(id)) {
                    entry = log.read(SECRETS + id).orElse(null);
                }
                values.add(opener.open(SecretId.of(id), entry));
            } catch (SecretsException e) {
                errors.add(BatchGetError.of(id, e));
            }
        }
        errors.sort(java.util.Comparator.comparing(BatchGetError::secretId));
        return new BatchGetResult(values, errors, null);
    }

    /** Fills {@code found} with the proven latest entries and {@code alone} with the IDs to read one by one. */
    private void locate(TreeSet<String> wanted, Map<String, RecordLog.Entry> found, Set<String> alone) {
        String prefix = commonPrefix(wanted);
        Listing first = list(prefix, wanted);
        List<String> unproven = new ArrayList<>();
        Map<String, RecordLog.Entry> tentative = new HashMap<>();
        for (String id : wanted) {
            if (!first.passed(id)) {
                alone.add(id);
                continue;
            }
            String key = first.latest.get(id);
            if (key == null) {
                if (log.verified(SECRETS + id)) {
                    alone.add(id); // seen before, so it exists: this listing ran while a write compacted its log
                }
                continue; // not in the store: the opener reports it
            }
            Optional<StoredObject> got = store.getWithETag(key);
            if (got.isEmpty()) {
                alone.add(id); // compacted since listed: a newer generation exists
                continue;
            }
            RecordLog.Entry entry = log.parse(SECRETS + id, key, got.get().bytes());
            String listed = first.etags.get(id);
            if (listed != null && listed.equals(got.get().etag())) {
                found.put(id, entry);
            } else {
                tentative.put(id, entry);
                unproven.add(id);
            }
        }
        if (unproven.isEmpty()) {
            return;
        }
        Listing again = list(prefix, new TreeSet<>(unproven));
        for (String id : unproven) {
            if (again.passed(id) && first.latest.get(id).equals(again.latest.get(id))) {
                found.put(id, tentative.get(id)); // still the latest: never compacted, so the object got is the one listed
            } else {
                alone.add(id);
            }
        }
    }

    /** The highest generation key (and its ETag) of each ID in {@code ids}, from one listing of {@code prefix}. */
    private Listing list(String prefix, TreeSet<String> ids) {
        Listing out = new Listing();
        String after = null;
        int budget = ids.size();
        for (int pages = 0; ; pages++) {
            if (pages == budget) {
                out.lastKey = after;
                return out;
            }
            ListPage page = store.list(prefix, after, PAGE);
            for (int i = 0; i < page.keys().size(); i++) {
                String k = page.keys().get(i);
                long g = RecordLog.generationOf(k);
                if (g < 0 || !k.startsWith(SECRETS) || k.length() < SECRETS.length() + 19) {
                    continue;
                }
                String id = k.substring(SECRETS.length(), k.length() - 18);
                if (ids.contains(id)) {
                    String had = out.latest.get(id);
                    if (had == null || RecordLog.generationOf(had) < g) {
                        out.latest.put(id, k);
                        out.etags.put(id, page.etag(i));
                    }
                }
            }
            if (!page.truncated() || page.keys().isEmpty()) {
                out.lastKey = null; // complete
                return out;
            }
            after = page.keys().get(page.keys().size() - 1);
        }
    }

    private static final class Listing {
        final Map<String, String> latest = new HashMap<>();
        final Map<String, String> etags = new HashMap<>();
        /** The last key seen when the listing stopped early; null when it covered everything. */
        String lastKey;

        /** Whether the listing went past every key of {@code id}, so what it found of it is all there is. */
        boolean passed(String id) {
            return lastKey == null || lastKey.compareTo(RecordLog.prefix(SECRETS + id) + "~") > 0;
        }
    }

    static String commonPrefix(TreeSet<String> ids) {
        // In sorted order, the common prefix of all is that of the first and the last.
        String a = RecordLog.prefix(SECRETS + ids.first());
        String b = RecordLog.prefix(SECRETS + ids.last());
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return a.substring(0, n);
    }
}
