package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalResumeTest {

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.of(dir, "node-11");
    }

    private Path segment() throws IOException {
        try (Journal journal = Journal.open(config())) {
            for (long i = 0; i < 50; i++) {
                journal.append(JournalFixtures.draft(i));
            }
            journal.appendDurably(JournalFixtures.draft(50));
        }
        return JournalReader.segmentFiles(dir).get(0);
    }

    /** The point a reader that read up to {@code seq} would have saved. */
    private Journal.ResumePoint pointAt(Path segment, long seq) throws IOException, NoSuchAlgorithmException {
        EventRecord record = JournalFixtures.readAll(dir).get((int) seq - 1);
        Hash256 hash = new Hash256(MessageDigest.getInstance("SHA-256").digest(EventCodec.encode(record)));
        return new Journal.ResumePoint(1, JournalTest.offsetOfRecord(segment, seq), seq, record.hlc(), hash);
    }

    @Test
    void shouldCheckAndHandOnlyTheRecordsAfterTheSavedPointAndEndWhereAFullOpenEnds() throws Exception {
        Path segment = segment();
        Hash256 fullHead;
        try (Journal journal = Journal.open(config())) {
            fullHead = journal.lastDurableHash();
        }

        List<Long> handed = new ArrayList<>();
        try (Journal journal = Journal.open(config(), pointAt(segment, 30), (record, offset) -> handed.add(record.seq()))) {
            assertThat(journal.lastDurableSeq()).isEqualTo(51);
            assertThat(journal.lastDurableHash()).isEqualTo(fullHead);
            assertThat(journal.appendDurably(JournalFixtures.draft(51)).previousHash()).isEqualTo(fullHead);
        }
        assertThat(handed).containsExactlyElementsOf(LongStream.rangeClosed(31, 51).boxed().toList());
    }

    @Test
    void shouldNotReadBeforeThePointButRefuseDamageAfterIt() throws Exception {
        Path segment = segment();
        Journal.ResumePoint point = pointAt(segment, 30);
        long fortieth = JournalTest.offsetOfRecord(segment, 40);
        JournalTest.flipByte(segment, JournalTest.offsetOfRecord(segment, 10) + SegmentCursor.FRAME_HEADER + 3);

        // What a restart from a saved point gives up: damage before it is for `qvip replay --verify` to find.
        try (Journal journal = Journal.open(config(), point, (record, offset) -> { })) {
            assertThat(journal.lastDurableSeq()).isEqualTo(51);
        }
        assertThatThrownBy(() -> Journal.open(config())).isInstanceOf(JournalDamageException.class);

        JournalTest.flipByte(segment, fortieth + SegmentCursor.FRAME_HEADER + 3);
        assertThatThrownBy(() -> Journal.open(config(), point, (record, offset) -> { }))
                .isInstanceOf(JournalDamageException.class).hasMessageContaining("intact records follow");
    }

    @Test
    void shouldRefuseAPointTheJournalDoesNotHoldAndLeaveTheFileAsItWas() throws Exception {
        Path segment = segment();
        Journal.ResumePoint point = pointAt(segment, 30);
        // A torn tail a full open would cut: a refused point must not cut it.
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            file.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2}));
        }
        byte[] before = Files.readAllBytes(segment);
        Journal.ResumePoint otherHash = new Journal.ResumePoint(1, point.lastRecordOffset(), 30, point.lastHlc(),
                pointAt(segment, 29).lastHash());

        for (Journal.ResumePoint wrong : List.of(
                otherHash,
                new Journal.ResumePoint(1, point.lastRecordOffset(), 29, point.lastHlc(), point.lastHash()),
                new Journal.ResumePoint(1, point.lastRecordOffset() + 3, 30, point.lastHlc(), point.lastHash()),
                new Journal.ResumePoint(1, before.length + 100, 30, point.lastHlc(), point.lastHash()),
                new Journal.ResumePoint(2, point.lastRecordOffset(), 30, point.lastHlc(), point.lastHash()))) {
            assertThatThrownBy(() -> Journal.open(config(), wrong, (record, offset) -> { }))
                    .as("point %s", wrong)
                    .isInstanceOf(Journal.ResumeMismatchException.class)
                    .hasMessageContaining("does not match");
            assertThat(Files.readAllBytes(segment)).isEqualTo(before);
        }
        try (Journal journal = Journal.open(config(), point, (record, offset) -> { })) {
            assertThat(journal.recoveredTornTail()).isPresent();
        }
    }
}
