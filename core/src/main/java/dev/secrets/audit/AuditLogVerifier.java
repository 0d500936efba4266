package dev.secrets.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the hash chain of a log written by {@link JsonLinesAuditSink} and reports the first
 * line that was removed, reordered, altered or cut short, with its line number.
 *
 * <p>Every line's hash covers its content and the hash of the line before; every line carries
 * its entry number. So a removed line (anywhere but at the very end), two swapped lines, an edited
 * line, a line inserted, and a last line cut in the middle are all found. Two things a chain in
 * the same file cannot show on its own: whole lines removed from the <em>end</em>, and a log
 * rewritten from some point on with every hash recomputed. For those, keep an <em>anchor</em>
 * elsewhere — the {@link Result#entries()} and {@link Result#lastHash()} of an earlier
 * verification — and pass it to {@link #verify(Path, long, String)}: the log must still hold that
 * entry with that hash.
 *
 * <p>Reads the file once, streaming (about a million lines per second); holds one line in memory.
 * Thread-safe (stateless).
 */
public final class AuditLogVerifier {
    private AuditLogVerifier() {
    }

    /**
     * Verifies the chain of {@code file}.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Result verify(Path file) {
        return verify(file, 0, null);
    }

    /**
     * Verifies the chain of {@code file}, and that it still holds entry {@code anchorEntry} with hash
     * {@code anchorHash} (both from an earlier {@link Result}); no anchor when {@code anchorEntry} is 0.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Result verify(Path file, long anchorEntry, String anchorHash) {
        Objects.requireNonNull(file, "file");
        if (anchorEntry < 0 || (anchorEntry > 0 && anchorHash == null)) {
            throw new IllegalArgumentException("an anchor is an entry number of at least 1 and its hash");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new Walk(anchorEntry, anchorHash).run(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The outcome of a verification.
     *
     * @param entries  entries read and found valid (up to the first problem)
     * @param lastHash hash of the last valid entry (64 zeros when there is none): an anchor for later checks
     * @param problem  the first problem, or empty when the whole log is valid
     */
    public record Result(long entries, String lastHash, Optional<Problem> problem) {
        public Result {
            Objects.requireNonNull(problem, "problem");
        }

        /** True when no problem was found. */
        public boolean valid() {
            return problem.isEmpty();
        }

        @Override
        public String toString() {
            return problem.map(p -> "INVALID after " + entries + " valid entries: " + p)
                    .orElse("OK: " + entries + " entries, last hash " + lastHash);
        }
    }

    /**
     * The first thing wrong in a log.
     *
     * @param line    the line number (from 1) where it shows
     * @param message what is wrong, for a person
     */
    public record Problem(long line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    private static final class Walk {
        private final long anchorEntry;
        private final String anchorHash;
        private long lineNo;
        private long entries;
        private long lastSeq;
        private String lastHash = AuditLine.GENESIS;
        private Problem problem;

        Walk(long anchorEntry, String anchorHash) {
            this.anchorEntry = anchorEntry;
            this.anchorHash = anchorHash;
        }

        Result run(InputStream in) throws IOException {
            byte[] buf = new byte[1 << 16];
            byte[] line = new byte[1024];
            int len = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        int part = i - start;
                        if (len + part > line.length) {
                            line = Arrays.copyOf(line, Math.max(line.length * 2, len + part));
                        }
                        System.arraycopy(buf, start, line, len, part);
                        len += part;
                        if (!check(line, len)) {
                            return result();
                        }
                        len = 0;
                        start = i + 1;
                    }
                }
                int part = n - start;
                if (len + part > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, len + part));
                }
                System.arraycopy(buf, start, line, len, part);
                len += part;
            }
            if (len > 0) {
                problem = new Problem(lineNo + 1, "truncated: the file ends in the middle of an entry (" + len
                        + " bytes without an end of line)");
                return result();
            }
            if (anchorEntry > entries) {
                problem = new Problem(lineNo + 1, "the log ends after entry #" + entries + " but entry #" + anchorEntry
                        + " was recorded before (the anchor): entries were removed from the end");
            }
            return result();
        }

        private Result result() {
            return new Result(entries, lastHash, Optional.ofNullable(problem));
        }

        private boolean check(byte[] b, int len) {
            lineNo++;
            String text = new String(b, 0, len, StandardCharsets.ISO_8859_1);
            AuditLine.Parsed p = AuditLine.parse(text);
            if (p == null) {
                problem = new Problem(lineNo, "not an audit entry (malformed, cut short, or altered)");
                return false;
            }
            if (!AuditLine.sha256(b, 0, p.bodyLength()).equals(p.hash())) {
                problem = new Problem(lineNo, "altered: its content does not match its hash (entry #" + p.seq() + ")");
                return false;
            }
            long expected = lastSeq + 1;
            if (p.seq() > expected) {
                problem = new Problem(lineNo, "entry #" + expected + " is missing here (found entry #" + p.seq()
                        + "): lines were removed or reordered");
                return false;
            }
            if (p.seq() < expected) {
                problem = new Problem(lineNo, "out of order: entry #" + p.seq() + " where entry #" + expected
                        + " belongs: lines were reordered or repeated");
                return false;
            }
            if (!p.prev().equals(lastHash)) {
                problem = new Problem(lineNo, "does not follow the line before it: its previous-hash names another entry "
                        + "(lines were removed, reordered or replaced)");
                return false;
            }
            if (p.seq() == anchorEntry && !p.hash().equals(anchorHash)) {
                problem = new Problem(lineNo, "entry #" + anchorEntry + " does not have the anchored hash: the log was rewritten");
                return false;
            }
            lastSeq = p.seq();
            lastHash = p.hash();
            entries++;
            return true;
        }
    }
}
