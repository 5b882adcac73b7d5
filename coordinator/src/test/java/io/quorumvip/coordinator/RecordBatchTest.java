package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.journal.EventCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordBatchTest {

    @TempDir
    Path tmp;

    @Test
    void shouldSplitABodyIntoTheAgentsRecordsWithTheirFramesUnchanged() throws Exception {
        List<byte[]> frames = AgentJournals.write(tmp, "n1", AgentJournals.owner("n1", 0, 42));

        List<ReceivedRecord> records = RecordBatch.parse(AgentJournals.body(frames, 1, frames.size()));

        assertThat(records).extracting(r -> r.record().seq()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(records.get(2).frame()).isEqualTo(frames.get(2));
        assertThat(records.get(1).offset()).isEqualTo(frames.get(0).length);
    }

    @Test
    void shouldRefuseAFrameLengthOutsideTheJournalsLimitNamingTheOffset() {
        byte[] body = ByteBuffer.allocate(16).putInt(EventCodec.MAX_PAYLOAD + 1).array();

        assertThatThrownBy(() -> RecordBatch.parse(body)).isInstanceOf(MalformedBatchException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("length " + (EventCodec.MAX_PAYLOAD + 1));
    }

    @Test
    void shouldTakeThePoolOfAVirtualServerWithTenThousandRealServersAsOneRecord() throws Exception {
        List<Event.PoolMemberEntry> members = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            members.add(new Event.PoolMemberEntry("198.51.100." + (i % 250) + ":" + (10_000 + i), 1, false));
        }
        Event.PoolChanged pool = new Event.PoolChanged("192.0.2.80:80", 3, members);
        List<byte[]> frames = AgentJournals.write(tmp, "n1", List.of(AgentJournals.draft(0, 0, Cause.NONE, pool)));

        List<ReceivedRecord> records = RecordBatch.parse(AgentJournals.body(frames, 1, 1));

        assertThat(frames.get(0).length).isGreaterThan(64 * 1024).isLessThan(CoordinatorServer.MAX_BODY_BYTES);
        assertThat(records).singleElement().extracting(r -> r.record().event()).isEqualTo(pool);
    }

    @Test
    void shouldRefuseABodyEndingInsideAFrameHeader() throws Exception {
        List<byte[]> frames = AgentJournals.write(tmp, "n1", AgentJournals.filler(0, 1));
        byte[] body = Arrays.copyOf(frames.get(0), frames.get(0).length + 3);

        assertThatThrownBy(() -> RecordBatch.parse(body)).isInstanceOf(MalformedBatchException.class)
                .hasMessageContaining("inside a frame header at offset " + frames.get(0).length);
    }

    @Test
    void shouldRefuseAFrameWhosePayloadPassesTheCrcButDoesNotDecode() {
        byte[] payload = {(byte) 0xEE, 1, 2, 3};
        CRC32C crc = new CRC32C();
        ByteBuffer frame = ByteBuffer.allocate(RecordBatch.FRAME_HEADER + payload.length).putInt(payload.length);
        crc.update(frame.array(), 0, 4);
        crc.update(payload);
        frame.putInt((int) crc.getValue()).put(payload);

        assertThatThrownBy(() -> RecordBatch.parse(frame.array())).isInstanceOf(MalformedBatchException.class)
                .hasMessageContaining("offset 0 passes its CRC but does not decode");
    }
}
