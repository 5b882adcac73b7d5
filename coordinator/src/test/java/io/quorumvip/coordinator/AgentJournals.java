package io.quorumvip.coordinator;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.SegmentHeader;
import io.quorumvip.ownership.RoleInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Agents' journals written by the real {@link Journal} writer, and their record frames cut from the segment files
 * exactly as an agent ships them.
 */
final class AgentJournals {

    static final long START_MILLIS = 1_763_700_000_000L;
    static final String VIP = "192.0.2.200/24";
    static final String INSTANCE = "VI_1";
    static final int VRID = 51;

    private AgentJournals() {
    }

    static EventDraft draft(long ms, long epoch, Cause cause, Event event) {
        return new EventDraft((START_MILLIS + ms) * 1000, ms * 1_000_000L, epoch, cause, event);
    }

    /**
     * A node that starts, wins VRRP, takes the lease and binds the VIP with a 2 s kernel lifetime; with epoch 0 it is
     * an agent without a quorum block, binding without lease and lifetime.
     */
    static List<EventDraft> owner(String node, long ms, long epoch) {
        List<EventDraft> drafts = new ArrayList<>(List.of(
                draft(ms, 0, new Cause(CauseKind.STARTUP, node, 1), new Event.AgentStarted("test")),
                draft(ms + 10, 0, Cause.timer("master_down"),
                        new Event.VrrpStateChanged(INSTANCE, VRID, RoleInput.BACKUP, RoleInput.MASTER))));
        if (epoch > 0) {
            drafts.add(draft(ms + 20, epoch, Cause.leaseWatch("acquired", 0x5eed), new Event.LeaseAcquired(INSTANCE, 0x5eed, 0)));
        }
        drafts.add(draft(ms + 30, epoch, Cause.timer("master_down"), new Event.VipBound(INSTANCE, VIP, epoch > 0 ? 2 : 0)));
        return drafts;
    }

    static EventDraft released(long ms) {
        return draft(ms, 0, Cause.NONE, new Event.VipReleased(INSTANCE, VIP));
    }

    /** {@code count} harmless records (priority changes) after {@code ms}, to make longer journals. */
    static List<EventDraft> filler(long ms, int count) {
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drafts.add(draft(ms + i, 0, Cause.health("chk", -10 * (i % 2)),
                    new Event.EffectivePriorityChanged(INSTANCE, 100, 100 - 10 * ((i + 1) % 2), 100 - 10 * (i % 2))));
        }
        return drafts;
    }

    /**
     * A journal of at least {@code records} records in {@code dir}, written by the real writer: the node owns and
     * releases the VIP again and again, with a varying number of priority changes in between. Returns its frames.
     */
    static List<byte[]> history(Path dir, String node, int records) throws IOException {
        List<EventDraft> drafts = new ArrayList<>();
        for (int round = 0; drafts.size() < records; round++) {
            long ms = round * 1_000L;
            drafts.addAll(owner(node, ms, round + 1));
            drafts.addAll(filler(ms + 100, 1 + round % 7));
            drafts.add(released(ms + 900));
        }
        try (Journal journal = Journal.open(JournalConfig.of(dir, node))) {
            CompletableFuture<EventRecord> last = null;
            for (EventDraft draft : drafts) {
                last = journal.append(draft);
            }
            last.join();
        }
        return frames(dir);
    }

    /** Writes the drafts to {@code node}'s journal in {@code dir} and returns its frames in order (index 0 = seq 1). */
    static List<byte[]> write(Path dir, String node, List<EventDraft> drafts) throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir, node))) {
            for (EventDraft draft : drafts) {
                journal.appendDurably(draft);
            }
        }
        return frames(dir);
    }

    static List<byte[]> frames(Path dir) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (Path segment : JournalReader.segmentFiles(dir)) {
            byte[] bytes = Files.readAllBytes(segment);
            int at = SegmentHeader.SIZE;
            while (at < bytes.length) {
                int end = at + RecordBatch.FRAME_HEADER + ByteBuffer.wrap(bytes, at, 4).getInt();
                frames.add(Arrays.copyOfRange(bytes, at, end));
                at = end;
            }
        }
        return frames;
    }

    /** The request body for seqs {@code from..to} (inclusive, 1-based). */
    static byte[] body(List<byte[]> frames, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int seq = from; seq <= to; seq++) {
            out.writeBytes(frames.get(seq - 1));
        }
        return out.toByteArray();
    }
}
