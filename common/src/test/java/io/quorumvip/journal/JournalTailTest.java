package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTailTest {

    @TempDir
    Path dir;

    private Journal journal(long segmentBytes) throws IOException {
        return Journal.open(JournalConfig.of(dir, "n1").withSegmentBytes(segmentBytes)
                .withWallClock(() -> JournalFixtures.START_WALL_MICROS));
    }

    private static void append(Journal journal, int from, int to) {
        for (int i = from; i <= to; i++) {
            journal.appendDurably(JournalFixtures.draft(i));
        }
    }

    private static List<Long> seqs(JournalTail.Batch batch) {
        List<Long> seqs = new ArrayList<>();
        ByteBuffer frames = ByteBuffer.wrap(batch.frames());
        EventCodec codec = new EventCodec();
        while (frames.hasRemaining()) {
            int length = frames.getInt(frames.position());
            EventRecord record = codec.decode(batch.frames(), frames.position() + SegmentCursor.FRAME_HEADER, length);
            seqs.add(record.seq());
            frames.position(frames.position() + SegmentCursor.FRAME_HEADER + length);
        }
        return seqs;
    }

    @Test
    void shouldReturnTheSegmentBytesOfTheRequestedRecordsAcrossSegments() throws IOException {
        try (Journal journal = journal(4096)) {
            append(journal, 1, 300);
            assertThat(JournalReader.segmentFiles(dir)).hasSizeGreaterThan(3);
            JournalTail tail = new JournalTail(dir);

            JournalTail.Batch all = tail.read(1, 300, 1000, 1 << 20);

            assertThat(all.records()).isEqualTo(300);
            assertThat(all.firstSeq()).isEqualTo(1);
            assertThat(all.lastSeq()).isEqualTo(300);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            JournalReader.read(JournalReader.segmentFiles(dir), (s, h) -> { }, (s, offset, r, payload, at, length) -> {
                expected.write(ByteBuffer.allocate(4).putInt(length).array(), 0, 4);
                CRC32C crc = new CRC32C();
                crc.update(ByteBuffer.allocate(4).putInt(length).array());
                crc.update(payload, at, length);
                expected.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array(), 0, 4);
                expected.write(payload, at, length);
                return true;
            });
            assertThat(all.frames()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void shouldStopAtTheDurableBoundAndTheRecordAndByteLimits() throws IOException {
        try (Journal journal = journal(4096)) {
            append(journal, 1, 100);
            JournalTail tail = new JournalTail(dir);

            assertThat(seqs(tail.read(10, 20, 1000, 1 << 20))).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L,
                    17L, 18L, 19L, 20L);
            assertThat(tail.read(21, 100, 5, 1 << 20).lastSeq()).isEqualTo(25);
            JournalTail.Batch small = tail.read(26, 100, 1000, 1);
            assertThat(small.records()).as("at least one record, even over the byte limit").isEqualTo(1);
            assertThat(small.firstSeq()).isEqualTo(26);
            assertThat(tail.read(101, 100, 1000, 1 << 20).isEmpty()).isTrue();
        }
    }

    @Test
    void shouldReadOnWhereTheLastReadEndedAndRewindWhenAskedForOlderRecords() throws IOException {
        try (Journal journal = journal(4096)) {
            append(journal, 1, 50);
            JournalTail tail = new JournalTail(dir);
            assertThat(tail.read(1, 50, 1000, 1 << 20).lastSeq()).isEqualTo(50);
            append(journal, 51, 200);

            assertThat(seqs(tail.read(51, 200, 1000, 1 << 20))).hasSize(150).startsWith(51L).endsWith(200L);
            assertThat(seqs(tail.read(7, 9, 1000, 1 << 20))).containsExactly(7L, 8L, 9L);
        }
    }

    @Test
    void shouldStartAtTheOldestKeptRecordAfterRetention() throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir, "n1").withSegmentBytes(4096)
                .withRetention(3 * 4096, Duration.ofDays(1)).withWallClock(() -> JournalFixtures.START_WALL_MICROS))) {
            append(journal, 1, 400);
            assertThat(journal.applyRetention()).isNotEmpty();
            long oldest = JournalFixtures.readAll(dir).get(0).seq();

            JournalTail.Batch batch = new JournalTail(dir).read(1, 400, 1000, 1 << 20);

            assertThat(oldest).isGreaterThan(1);
            assertThat(batch.firstSeq()).isEqualTo(oldest);
            assertThat(batch.lastSeq()).isEqualTo(400);
        }
    }
}
