package io.quorumvip.coordinator;

import static io.quorumvip.coordinator.AgentJournals.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.JournalVerifier;
import io.quorumvip.journal.SegmentHeader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeArchiveTest {

    private static final LongSupplier CLOCK = () -> AgentJournals.START_MILLIS * 1000;

    @TempDir
    Path tmp;

    private List<byte[]> agentFrames(int fillers) throws IOException {
        return AgentJournals.write(tmp.resolve("agent"), "n1", AgentJournals.filler(0, fillers));
    }

    private IngestOutcome append(NodeArchive archive, List<byte[]> frames, int from, int to) throws IOException {
        return archive.append(RecordBatch.parse(body(frames, from, to)), record -> { });
    }

    private static List<EventRecord> read(Iterator<EventRecord> records) {
        List<EventRecord> list = new ArrayList<>();
        records.forEachRemaining(list::add);
        return list;
    }

    @Test
    void shouldAcceptTheFirstRecordReceivedAsTheAnchorEvenWhenItIsNotSeqOne() throws IOException {
        List<byte[]> frames = agentFrames(6);
        try (NodeArchive archive = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            IngestOutcome outcome = append(archive, frames, 4, 6);

            assertThat(outcome).isEqualTo(new IngestOutcome.Stored("n1", 6, 3, 0));
        }
        try (NodeArchive reopened = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            assertThat(reopened.lastSeq()).isEqualTo(6);
            assertThat(read(reopened.from(0))).extracting(EventRecord::seq).containsExactly(4L, 5L, 6L);
        }
        JournalVerifier.Result verified = JournalVerifier.verify(List.of(tmp.resolve("archive")));
        assertThat(verified.findings()).isEmpty();
        assertThat(verified.records()).isEqualTo(3);
    }

    @Test
    void shouldExtendAReaderReadToItsEndToTheRecordsStoredSince() throws IOException {
        List<byte[]> frames = agentFrames(2 * NodeArchive.BLOCK + 10);
        try (NodeArchive archive = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            NodeArchive.Records empty = archive.from(0);
            append(archive, frames, 1, 5);
            NodeArchive.Records reader = archive.extend(empty, 0);
            assertThat(read(reader)).extracting(EventRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
            append(archive, frames, 6, frames.size());

            NodeArchive.Records extended = archive.extend(reader, 5);

            assertThat(extended).isSameAs(reader);
            assertThat(read(extended)).extracting(EventRecord::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(6, frames.size()).boxed().toList());
            NodeArchive.Records atStart = archive.from(0);
            assertThatThrownBy(() -> archive.extend(atStart, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("before it was read to its end");
        }
    }

    @Test
    void shouldCutATornTailOnOpenAndKeepEverythingAcknowledged() throws IOException {
        List<byte[]> frames = agentFrames(5);
        try (NodeArchive archive = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            append(archive, frames, 1, 3);
        }
        Path segment = tmp.resolve("archive").resolve(SegmentHeader.fileName(1));
        byte[] half = Arrays.copyOf(frames.get(3), frames.get(3).length / 2);
        Files.write(segment, half, StandardOpenOption.APPEND);

        try (NodeArchive reopened = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            assertThat(reopened.lastSeq()).isEqualTo(3);
            assertThat(append(reopened, frames, 4, 5)).isEqualTo(new IngestOutcome.Stored("n1", 5, 2, 0));
        }
        List<Long> seqs = new ArrayList<>();
        JournalReader.read(JournalReader.segmentFiles(tmp.resolve("archive")), (f, h) -> { },
                (f, offset, record, payload, at, length) -> seqs.add(record.seq()));
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldDropASegmentThatHoldsOnlyItsHeaderSinceNothingInItWasAcknowledged() throws IOException {
        List<byte[]> frames = agentFrames(3);
        try (NodeArchive archive = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            append(archive, frames, 1, 3);
        }
        Path segment = tmp.resolve("archive").resolve(SegmentHeader.fileName(1));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(SegmentHeader.SIZE);
        }

        try (NodeArchive reopened = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            assertThat(reopened.lastSeq()).isZero();
            assertThat(append(reopened, frames, 2, 3)).isEqualTo(new IngestOutcome.Stored("n1", 3, 2, 0));
        }
    }

    @Test
    void shouldStoreTheRecordsBeforeAGapAndAckThem() throws IOException {
        List<byte[]> frames = agentFrames(6);
        try (NodeArchive archive = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            append(archive, frames, 1, 2);
            byte[] gapped = AgentJournals.body(List.of(frames.get(2), frames.get(3), frames.get(5)), 1, 3);

            IngestOutcome outcome = archive.append(RecordBatch.parse(gapped), record -> { });

            assertThat(outcome).isInstanceOfSatisfying(IngestOutcome.Conflict.class, c -> {
                assertThat(c.ackedSeq()).isEqualTo(4);
                assertThat(c.stored()).isEqualTo(2);
                assertThat(c.message()).contains("got seq 6 (expected 5)");
            });
            assertThat(archive.lastSeq()).isEqualTo(4);
        }
    }

    @Test
    void shouldReadBackFromEveryPositionAndAfterEveryCursorTheSameBeforeAndAfterARestart() throws IOException {
        int count = 3 * NodeArchive.BLOCK + 37;
        List<byte[]> frames = agentFrames(count - 1);
        List<EventRecord> stored = new ArrayList<>();
        try (NodeArchive archive = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, record -> { })) {
            // Batches that do not line up with the index's blocks: the first stored record is seq 2, the anchor.
            for (int from = 2; from <= frames.size(); from += 101) {
                archive.append(RecordBatch.parse(body(frames, from, Math.min(frames.size(), from + 100))), stored::add);
            }
            assertReadsBack(archive, stored);
        }
        List<EventRecord> recovered = new ArrayList<>();
        try (NodeArchive reopened = NodeArchive.open(tmp.resolve("archive"), "n1", CLOCK, recovered::add)) {
            assertThat(recovered).isEqualTo(stored);
            assertReadsBack(reopened, stored);
        }
    }

    private static void assertReadsBack(NodeArchive archive, List<EventRecord> stored) {
        assertThat(archive.count()).isEqualTo(stored.size());
        assertThat(read(archive.from(0))).isEqualTo(stored);
        for (int position = 0; position <= stored.size(); position += 17) {
            assertThat(read(archive.from(position))).as("from %d", position)
                    .isEqualTo(stored.subList(position, stored.size()));
        }
        assertThat(read(archive.from(stored.size()))).isEmpty();
        for (int i = 0; i < stored.size(); i += 13) {
            assertThat(read(archive.after(EventCursor.after(stored.get(i))))).as("after seq %d", stored.get(i).seq())
                    .isEqualTo(stored.subList(i + 1, stored.size()));
        }
        EventRecord first = stored.get(0);
        assertThat(read(archive.after(new EventCursor(first.hlc() - 1, 0, "n1")))).isEqualTo(stored);
        assertThat(read(archive.after(new EventCursor(first.hlc(), first.seq(), "n0")))).isEqualTo(stored);
        assertThat(read(archive.after(new EventCursor(first.hlc(), first.seq(), "n2"))))
                .isEqualTo(stored.subList(1, stored.size()));
    }
}
