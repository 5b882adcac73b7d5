package io.quorumvip.journal;

import io.quorumvip.events.EventRecord;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.NodeView;
import io.quorumvip.replay.ReplayState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * State of one or more journals at an HLC instant: find the latest indexed segment start at or before it, then fold
 * forward with {@link ReplayState}. Each journal is in HLC order (its node stamps strictly increasing), so the fold
 * stops at the first record past the instant.
 */
public final class Replay {

    /** The state, what was noticed on the way (index rebuilt, torn tail), and how many records were folded. */
    public record Result(ClusterView view, List<String> notes, long recordsFolded) {
    }

    private Replay() {
    }

    /** State after every record with {@code hlc <= hlcLimit}; {@code Long.MAX_VALUE} for the end of the journals. */
    public static Result stateAt(List<Path> dirs, long hlcLimit) throws IOException {
        Map<String, NodeView> nodes = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        long folded = 0;
        for (Path dir : dirs) {
            List<Path> segments = JournalReader.segmentFiles(dir);
            ReplayIndex index = refreshIndex(dir, segments, notes);
            ReplayIndex.Entry start = null;
            for (ReplayIndex.Entry entry : index.entries()) {
                if (entry.firstHlc() <= hlcLimit || start == null) {
                    start = entry;
                }
            }
            ReplayState state = ReplayState.of(start == null ? ClusterView.EMPTY : start.stateAtStart());
            long fromSegment = start == null ? Long.MIN_VALUE : start.segmentIndex();
            List<Path> tail = segments.stream().filter(s -> SegmentHeader.indexOf(s) >= fromSegment).toList();
            long[] count = {0};
            JournalReader.Outcome outcome = JournalReader.read(tail, (s, h) -> { }, (s, offset, record, p, o, l) -> {
                if (record.hlc() > hlcLimit) {
                    return false;
                }
                state.apply(record);
                count[0]++;
                return true;
            });
            outcome.tornTail().ifPresent(torn -> notes.add(torn + " (not yet cut: the writer has not reopened)"));
            folded += count[0];
            nodes.putAll(state.view().nodes());
        }
        return new Result(new ClusterView(nodes), notes, folded);
    }

    /**
     * Brings the index up to the journal's last segment, folding only what the valid part of the index does not
     * cover, and stores it when the directory is writable.
     */
    static ReplayIndex refreshIndex(Path dir, List<Path> segments, List<String> notes) throws IOException {
        ReplayIndex stored;
        try {
            stored = ReplayIndex.load(dir).validPrefix(segments);
        } catch (ReplayIndex.IncompatibleIndexException e) {
            notes.add(e.getMessage() + ": refused, rebuilding it");
            stored = new ReplayIndex(ReplayIndex.SCHEMA, List.of());
        }
        if (segments.isEmpty()) {
            return stored;
        }
        long lastSegment = SegmentHeader.indexOf(segments.get(segments.size() - 1));
        List<ReplayIndex.Entry> entries = new ArrayList<>(stored.entries());
        boolean complete = !entries.isEmpty() && entries.get(entries.size() - 1).segmentIndex() == lastSegment
                && entries.get(entries.size() - 1).firstHlc() != Long.MAX_VALUE;
        if (complete) {
            return stored;
        }
        ReplayIndex.Entry resumeFrom = entries.isEmpty() ? null : entries.remove(entries.size() - 1);
        ReplayState state = ReplayState.of(resumeFrom == null ? ClusterView.EMPTY : resumeFrom.stateAtStart());
        long fromSegment = resumeFrom == null ? Long.MIN_VALUE : resumeFrom.segmentIndex();
        List<Path> tail = segments.stream().filter(s -> SegmentHeader.indexOf(s) >= fromSegment).toList();
        IndexBuilder builder = new IndexBuilder(state, entries);
        JournalReader.read(tail, builder::segmentStart, builder::record);
        builder.finishSegment();
        ReplayIndex rebuilt = new ReplayIndex(ReplayIndex.SCHEMA, entries);
        try {
            rebuilt.save(dir);
        } catch (IOException e) {
            notes.add("replay index not saved in " + ReplayIndex.file(dir) + " (" + e.getMessage() + "): the next --at folds again");
        }
        return rebuilt;
    }

    /** Captures the state at each segment start while folding; the entry is finished at its first record. */
    private static final class IndexBuilder {
        private final ReplayState state;
        private final List<ReplayIndex.Entry> entries;
        private SegmentHeader open;
        private ClusterView openState;
        private boolean openHasRecord;

        IndexBuilder(ReplayState state, List<ReplayIndex.Entry> entries) {
            this.state = state;
            this.entries = entries;
        }

        void segmentStart(Path segment, SegmentHeader header) {
            finishSegment();
            open = header;
            openState = state.view();
            openHasRecord = false;
        }

        boolean record(Path segment, long offset, EventRecord record, byte[] payload, int payloadOffset, int length) {
            if (!openHasRecord) {
                entries.add(new ReplayIndex.Entry(open.index(), open.baseHash(), record.hlc(), openState));
                openHasRecord = true;
            }
            state.apply(record);
            return true;
        }

        void finishSegment() {
            if (open != null && !openHasRecord) {
                entries.add(new ReplayIndex.Entry(open.index(), open.baseHash(), Long.MAX_VALUE, openState));
            }
            open = null;
        }
    }
}
