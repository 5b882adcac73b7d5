package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.of(dir, "node-11");
    }

    private void appendAndClose(JournalConfig config, long from, long count) throws IOException {
        try (Journal journal = Journal.open(config)) {
            List<CompletableFuture<EventRecord>> futures = new ArrayList<>();
            for (long i = from; i < from + count; i++) {
                futures.add(journal.append(JournalFixtures.draft(i)));
            }
            futures.forEach(CompletableFuture::join);
        }
    }

    @Test
    void shouldReadBackRecordsInAppendOrderWithAnIntactHashChain() throws Exception {
        appendAndClose(config(), 0, 500);

        List<EventRecord> records = JournalFixtures.readAll(dir);
        assertThat(records).hasSize(500);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Hash256 expected = Hash256.ZERO;
        for (int i = 0; i < records.size(); i++) {
            EventRecord record = records.get(i);
            assertThat(record.seq()).isEqualTo(i + 1);
            assertThat(record.previousHash()).isEqualTo(expected);
            assertThat(record.event()).isEqualTo(JournalFixtures.draft(i).event());
            expected = new Hash256(sha.digest(EventCodec.encode(record)));
        }
    }

    @Test
    void shouldCompleteTheDurableAppendWithTheFullRecord() throws IOException {
        try (Journal journal = Journal.open(config())) {
            EventRecord record = journal.appendDurably(JournalFixtures.draft(0));
            assertThat(record.node()).isEqualTo("node-11");
            assertThat(record.seq()).isEqualTo(1);
            assertThat(journal.lastDurableSeq()).isEqualTo(1);
            assertThat(journal.health().canWriteAhead()).isTrue();
        }
    }

    @Test
    void shouldContinueSequenceAndChainAfterReopen() throws IOException {
        appendAndClose(config(), 0, 10);
        Hash256 headBeforeReopen;
        try (Journal journal = Journal.open(config())) {
            headBeforeReopen = journal.lastDurableHash();
            EventRecord next = journal.appendDurably(JournalFixtures.draft(10));
            assertThat(next.seq()).isEqualTo(11);
            assertThat(next.previousHash()).isEqualTo(headBeforeReopen);
            assertThat(journal.recoveredTornTail()).isEmpty();
        }
    }

    @Test
    void shouldGiveEveryStampAStrictlyGreaterHlcEvenWhenWallTimeStepsBack() throws IOException {
        try (Journal journal = Journal.open(config())) {
            EventRecord first = journal.appendDurably(JournalFixtures.draft(5));
            EventRecord second = journal.appendDurably(JournalFixtures.draft(1));
            assertThat(second.hlc()).isGreaterThan(first.hlc());
        }
    }

    @Test
    void shouldRollSegmentsAndChainAcrossThem() throws IOException {
        appendAndClose(config().withSegmentBytes(4096), 0, 400);

        List<Path> segments = JournalReader.segmentFiles(dir);
        assertThat(segments).hasSizeGreaterThan(3);
        List<EventRecord> records = JournalFixtures.readAll(dir);
        assertThat(records).extracting(EventRecord::seq).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 400).boxed().toList());
        assertThat(Journal.readHeader(segments.get(0)).baseHash()).isEqualTo(Hash256.ZERO);
        assertThat(Journal.readHeader(segments.get(1)).baseHash()).isNotEqualTo(Hash256.ZERO);
    }

    @Test
    void shouldCutATornTailOnOpenAndReportIt() throws IOException {
        appendAndClose(config(), 0, 20);
        Path segment = JournalReader.segmentFiles(dir).get(0);
        long intactSize = Files.size(segment);
        byte[] frame = frameOf(JournalFixtures.draft(99));
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            file.write(ByteBuffer.wrap(frame, 0, frame.length / 2));
        }

        try (Journal journal = Journal.open(config())) {
            assertThat(journal.recoveredTornTail()).hasValueSatisfying(torn -> {
                assertThat(torn.segment()).isEqualTo(segment);
                assertThat(torn.offset()).isEqualTo(intactSize);
                assertThat(torn.bytes()).isEqualTo(frame.length / 2);
            });
            assertThat(journal.appendDurably(JournalFixtures.draft(20)).seq()).isEqualTo(21);
        }
        assertThat(JournalFixtures.readAll(dir)).hasSize(21);
    }

    @Test
    void shouldCutAZeroFilledTailAsTorn() throws IOException {
        appendAndClose(config(), 0, 5);
        Path segment = JournalReader.segmentFiles(dir).get(0);
        long intactSize = Files.size(segment);
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            file.write(ByteBuffer.allocate(4096));
        }
        try (Journal journal = Journal.open(config())) {
            assertThat(journal.recoveredTornTail()).map(TornTail::offset).hasValue(intactSize);
        }
        assertThat(Files.size(segment)).isEqualTo(intactSize);
    }

    @Test
    void shouldRefuseToOpenWhenAByteInTheMiddleIsFlipped() throws IOException {
        appendAndClose(config(), 0, 50);
        Path segment = JournalReader.segmentFiles(dir).get(0);
        long offset = offsetOfRecord(segment, 20);
        flipByte(segment, offset + SegmentCursor.FRAME_HEADER + 3);

        assertThatThrownBy(() -> Journal.open(config()))
                .isInstanceOfSatisfying(JournalDamageException.class, e -> {
                    assertThat(e.segment()).isEqualTo(segment);
                    assertThat(e.offset()).isEqualTo(offset);
                })
                .hasMessageContaining("intact records follow");
    }

    @Test
    void shouldReportATruncatedSealedSegmentWithItsNameAndOffset() throws IOException {
        appendAndClose(config().withSegmentBytes(4096), 0, 200);
        Path first = JournalReader.segmentFiles(dir).get(0);
        long size = Files.size(first);
        try (FileChannel file = FileChannel.open(first, StandardOpenOption.WRITE)) {
            file.truncate(size - 10);
        }

        assertThatThrownBy(() -> JournalFixtures.readAll(dir))
                .isInstanceOfSatisfying(JournalDamageException.class, e -> assertThat(e.segment()).isEqualTo(first))
                .hasMessageContaining("sealed segment");
    }

    @Test
    void shouldRefuseASegmentWithAnUnknownSchemaVersion() throws IOException {
        appendAndClose(config(), 0, 3);
        Path segment = JournalReader.segmentFiles(dir).get(0);
        SegmentHeader header = Journal.readHeader(segment);
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.write(new SegmentHeader(7, header.index(), header.createdWallMicros(), header.baseHash()).encode(), 0);
        }

        assertThatThrownBy(() -> Journal.open(config()))
                .isInstanceOf(JournalDamageException.class)
                .hasMessageContaining("schema version 7 is not supported (expected 1.." + EventCodec.SCHEMA_VERSION + ")");
    }

    @Test
    void shouldReadVerifyAndContinueAJournalWrittenWithSchemaVersionOne() throws Exception {
        List<EventRecord> written = writeVersionOneSegment();

        assertThat(JournalFixtures.readAll(dir)).isEqualTo(written);
        assertThat(JournalVerifier.verify(List.of(dir)).findings()).isEmpty();

        try (Journal journal = Journal.open(config())) {
            journal.appendDurably(EventDraft.of(JournalFixtures.START_WALL_MICROS + 9_000_000, 9_000_000_000L,
                    Cause.leaseWatch("validity ended", 0),
                    new Event.VipReleased("VI_1", "192.0.2.200/24", JournalFixtures.START_WALL_MICROS + 4_000_000)));
        }

        List<Path> segments = JournalReader.segmentFiles(dir);
        assertThat(segments).hasSize(2);
        assertThat(Journal.readHeader(segments.get(0)).schemaVersion()).isEqualTo(1);
        assertThat(Journal.readHeader(segments.get(1)).schemaVersion()).isEqualTo(EventCodec.SCHEMA_VERSION);
        List<EventRecord> all = JournalFixtures.readAll(dir);
        assertThat(all).hasSize(4).startsWith(written.toArray(EventRecord[]::new));
        assertThat(((Event.VipReleased) all.get(3).event()).removedByKernel()).isTrue();
        assertThat(JournalVerifier.verify(List.of(dir)).findings()).isEmpty();
    }

    /** Segment 1 as version 1 wrote it: its header says 1 and its release has no lifetime end. */
    private List<EventRecord> writeVersionOneSegment() throws Exception {
        long wall = JournalFixtures.START_WALL_MICROS;
        List<Event> events = List.of(new Event.VipBound("VI_1", "192.0.2.200/24", 4),
                new Event.VipReleased("VI_1", "192.0.2.200/24"),
                new Event.VrrpStateChanged("VI_1", 51, RoleInput.MASTER, RoleInput.BACKUP));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Files.createDirectories(dir);
        List<EventRecord> records = new ArrayList<>();
        ByteBuffer file = ByteBuffer.allocate(4096);
        file.put(new SegmentHeader(1, 1, wall, Hash256.ZERO).encode());
        Hash256 previous = Hash256.ZERO;
        for (int i = 0; i < events.size(); i++) {
            long at = wall + i * 1_000_000L;
            EventRecord record = new EventRecord("node-11", i + 1, at, (i + 1) * 1_000_000_000L, HybridLogicalClock.of(at / 1000, 0), 0,
                    Cause.NONE, previous, events.get(i));
            byte[] payload = record.event() instanceof Event.VipReleased
                    ? EventCodecTest.versionOneRelease(record) : EventCodec.encode(record);
            CRC32C crc = new CRC32C();
            crc.update(ByteBuffer.allocate(4).putInt(0, payload.length));
            crc.update(payload);
            file.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
            previous = new Hash256(sha.digest(payload));
            records.add(record);
        }
        Files.write(dir.resolve(SegmentHeader.fileName(1)), Arrays.copyOf(file.array(), file.position()));
        return records;
    }

    @Test
    void shouldRefuseAJournalOfAnotherNode() throws IOException {
        appendAndClose(config(), 0, 3);
        assertThatThrownBy(() -> Journal.open(JournalConfig.of(dir, "node-12")))
                .isInstanceOf(JournalDamageException.class)
                .hasMessageContaining("record of node 'node-11' in the journal of node 'node-12'");
    }

    @Test
    void shouldRefuseAGapInSegmentNumbers() throws IOException {
        appendAndClose(config().withSegmentBytes(4096), 0, 300);
        Files.delete(JournalReader.segmentFiles(dir).get(1));
        assertThatThrownBy(() -> Journal.open(config()))
                .isInstanceOf(JournalDamageException.class)
                .hasMessageContaining("segment 2 is missing");
    }

    @Test
    void shouldRemoveASegmentLeftWithAnUnfinishedHeader() throws IOException {
        appendAndClose(config(), 0, 3);
        Path unfinished = dir.resolve(SegmentHeader.fileName(2));
        Files.write(unfinished, new byte[10]);
        try (Journal journal = Journal.open(config())) {
            assertThat(journal.recoveredTornTail()).map(TornTail::segment).hasValue(unfinished);
            assertThat(journal.appendDurably(JournalFixtures.draft(3)).seq()).isEqualTo(4);
        }
        assertThat(unfinished).doesNotExist();
    }

    @Test
    void shouldFailAppendsAfterClose() throws IOException {
        Journal journal = Journal.open(config());
        journal.close();
        assertThatThrownBy(() -> journal.appendDurably(JournalFixtures.draft(0)))
                .isInstanceOf(JournalUnwritableException.class)
                .hasMessageContaining("it is closed");
        assertThat(journal.health().canWriteAhead()).isFalse();
    }

    @Test
    void shouldRejectAStringFieldTooLongWithoutDisturbingTheChain() throws IOException {
        try (Journal journal = Journal.open(config())) {
            var huge = EventDraft.of(JournalFixtures.START_WALL_MICROS, 0, Cause.NONE, new Event.AgentStarted("x".repeat(5000)));
            assertThatThrownBy(() -> journal.append(huge)).hasMessageContaining("too long");
            assertThat(journal.appendDurably(JournalFixtures.draft(0)).seq()).isEqualTo(1);
        }
        assertThat(JournalFixtures.readAll(dir)).hasSize(1);
    }

    @Test
    void shouldKeepAVerifiableAnchorWhenRetentionDeletesOldSegments() throws IOException {
        long[] now = {JournalFixtures.START_WALL_MICROS};
        JournalConfig config = config().withSegmentBytes(4096).withRetention(3 * 4096, Duration.ofDays(1))
                .withWallClock(() -> now[0]);
        try (Journal journal = Journal.open(config)) {
            for (int i = 0; i < 400; i++) {
                journal.append(JournalFixtures.draft(i));
            }
            journal.appendDurably(JournalFixtures.draft(400));
            List<Path> deleted = journal.applyRetention();

            assertThat(deleted).isNotEmpty();
            List<Path> kept = JournalReader.segmentFiles(dir);
            Anchor anchor = Anchor.read(dir).orElseThrow();
            SegmentHeader firstKept = Journal.readHeader(kept.get(0));
            assertThat(anchor.segmentIndex()).isEqualTo(firstKept.index());
            assertThat(anchor.baseHash()).isEqualTo(firstKept.baseHash());
            assertThat(anchor.removed()).hasSize(deleted.size());
            assertThat(journal.appendDurably(JournalFixtures.draft(401)).seq()).isEqualTo(402);
        }
        try (Journal reopened = Journal.open(config)) {
            assertThat(reopened.lastDurableSeq()).isEqualTo(402);
        }
    }

    @Test
    void shouldDeleteSegmentsOlderThanTheRetentionAge() throws IOException {
        long[] now = {JournalFixtures.START_WALL_MICROS};
        JournalConfig config = config().withSegmentBytes(4096).withRetention(1L << 30, Duration.ofHours(1))
                .withWallClock(() -> now[0]);
        try (Journal journal = Journal.open(config)) {
            for (int i = 0; i < 100; i++) {
                journal.appendDurably(JournalFixtures.draft(i));
            }
            assertThat(journal.applyRetention()).isEmpty();
            now[0] += Duration.ofHours(2).toNanos() / 1000;
            journal.appendDurably(JournalFixtures.draft(100));
            assertThat(journal.applyRetention()).isNotEmpty();
        }
    }

    static long offsetOfRecord(Path segment, long seq) throws IOException {
        long[] found = {-1};
        JournalReader.read(List.of(segment), (s, h) -> { }, (s, offset, record, p, o, l) -> {
            if (record.seq() == seq) {
                found[0] = offset;
                return false;
            }
            return true;
        });
        return found[0];
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }

    private static byte[] frameOf(EventDraft draft) {
        var record = new EventRecord("node-11", 99, draft.wallMicros(), draft.monoNanos(), 1, draft.leaseEpoch(),
                draft.cause(), Hash256.ZERO, draft.event());
        byte[] payload = EventCodec.encode(record);
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt(0).put(payload).array();
    }
}
