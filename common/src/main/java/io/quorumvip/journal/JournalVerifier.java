package io.quorumvip.journal;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.ownership.OwnershipDecision;
import io.quorumvip.ownership.OwnershipRule;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Full check of journal directories: CRCs, the SHA-256 chain from its genesis or its retention anchor through every
 * segment, per-node sequence continuity, and every recorded ownership decision re-derived with
 * {@link OwnershipRule}. Stops at the first finding per directory, because everything after a break is suspect.
 */
public final class JournalVerifier {

    /** Where a check failed; {@code seq} is -1 when the record itself could not be read. */
    public record Finding(Path segment, long offset, long seq, String problem) {
        @Override
        public String toString() {
            return segment + " at byte " + offset + (seq >= 0 ? " (seq " + seq + ")" : "") + ": " + problem;
        }
    }

    public record Result(long records, List<Finding> findings, List<TornTail> tornTails) {
    }

    private JournalVerifier() {
    }

    public static Result verify(List<Path> dirs) throws IOException {
        long records = 0;
        List<Finding> findings = new ArrayList<>();
        List<TornTail> torn = new ArrayList<>();
        for (Path dir : dirs) {
            DirectoryCheck check = new DirectoryCheck(dir);
            records += check.run();
            check.finding.ifPresent(findings::add);
            check.tornTail.ifPresent(torn::add);
        }
        return new Result(records, findings, torn);
    }

    private static final class DirectoryCheck {
        private final Path dir;
        private final MessageDigest sha = sha256();
        private final Map<String, Long> lastSeqByNode = new HashMap<>();
        private Hash256 running;
        private boolean firstSegment = true;
        private boolean anchored;
        private Optional<Finding> finding = Optional.empty();
        private Optional<TornTail> tornTail = Optional.empty();

        DirectoryCheck(Path dir) {
            this.dir = dir;
        }

        long run() throws IOException {
            List<Path> segments;
            try {
                segments = JournalReader.segmentFiles(dir);
            } catch (JournalDamageException e) {
                finding = Optional.of(new Finding(e.segment(), e.offset(), -1, e.getMessage()));
                return 0;
            }
            Optional<Anchor> anchor = Anchor.read(dir);
            try {
                JournalReader.Outcome outcome = JournalReader.read(segments,
                        (segment, header) -> checkSegmentStart(segment, header, anchor),
                        this::checkRecord);
                tornTail = outcome.tornTail();
                return outcome.records();
            } catch (JournalDamageException e) {
                finding = Optional.of(new Finding(e.segment(), e.offset(), -1, e.getMessage()));
                return 0;
            } catch (FindingException e) {
                finding = Optional.of(e.finding);
                return 0;
            }
        }

        private void checkSegmentStart(Path segment, SegmentHeader header, Optional<Anchor> anchor) {
            if (firstSegment) {
                firstSegment = false;
                running = header.baseHash();
                if (header.index() == 1 && header.baseHash().equals(Hash256.ZERO)) {
                    return;
                }
                if (anchor.isEmpty() || anchor.get().segmentIndex() != header.index() || !anchor.get().baseHash().equals(header.baseHash())) {
                    throw new FindingException(new Finding(segment, 0, -1, "the chain starts at segment " + header.index()
                            + " from " + header.baseHash() + " but " + (anchor.isEmpty() ? "there is no " + Anchor.FILE_NAME
                            : Anchor.FILE_NAME + " records segment " + anchor.get().segmentIndex() + " from " + anchor.get().baseHash())
                            + " (segments before it were removed without a matching anchor)"));
                }
                anchored = true;
                return;
            }
            if (!header.baseHash().equals(running)) {
                throw new FindingException(new Finding(segment, 0, -1, "segment header chains from " + header.baseHash()
                        + " but the previous segment ends with " + running + " (a segment was truncated, replaced or altered)"));
            }
        }

        private boolean checkRecord(Path segment, long offset, EventRecord record, byte[] payload, int payloadOffset, int length) {
            if (!record.previousHash().equals(running)) {
                throw new FindingException(new Finding(segment, offset, record.seq(), "hash chain broken: record chains from "
                        + record.previousHash() + " (expected " + running + ")"));
            }
            sha.update(payload, payloadOffset, length);
            running = new Hash256(sha.digest());
            Long last = lastSeqByNode.put(record.node(), record.seq());
            long expected = last == null ? (anchored ? record.seq() : 1) : last + 1;
            if (record.seq() != expected) {
                throw new FindingException(new Finding(segment, offset, record.seq(), "sequence of node '" + record.node()
                        + "' jumps to " + record.seq() + " (expected " + expected + ")"));
            }
            if (record.event() instanceof Event.OwnershipDecided decided) {
                OwnershipDecision rederived = OwnershipRule.decide(decided.inputs());
                if (!rederived.equals(decided.decision())) {
                    throw new FindingException(new Finding(segment, offset, record.seq(), "ownership decision for "
                            + decided.instance() + " recorded " + decided.decision() + " but the rule gives " + rederived
                            + " for " + decided.inputs()));
                }
            }
            return true;
        }
    }

    /** Carries a finding out of the reader's callback; never escapes this class. */
    private static final class FindingException extends RuntimeException {
        private final transient Finding finding;

        FindingException(Finding finding) {
            super(finding.toString(), null, false, false);
            this.finding = finding;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 (every Java SE runtime must)", e);
        }
    }
}
