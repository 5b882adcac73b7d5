package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.replay.PoolView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool of a virtual server with 10,000 real servers is one record, journaled, replayed and shipped whole. */
class LargePoolRecordTest {

    private static final int MEMBERS = 10_000;
    /** The agent's shipping batch (Shipper.MAX_BYTES): one record must fit one batch. */
    private static final int SHIP_BATCH_BYTES = 1 << 20;

    @TempDir
    Path dir;

    /** IPv6 endpoints near their longest, so the record is near the largest 10,000 members make. */
    static Event.PoolChanged pool(int members) {
        List<Event.PoolMemberEntry> entries = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            entries.add(new Event.PoolMemberEntry("[2001:db8:ffff:ffff:ffff:ffff:" + Integer.toHexString(i / 1000)
                    + ":" + Integer.toHexString(i) + "]:65535", 1 + i % 253, false));
        }
        return new Event.PoolChanged("[2001:db8::80]:80", 7, entries);
    }

    @Test
    void shouldJournalReplayAndShipAPoolOfTenThousandRealServers() throws IOException {
        Event.PoolChanged pool = pool(MEMBERS);
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11"))) {
            journal.appendDurably(EventDraft.of(JournalFixtures.START_WALL_MICROS, 5_000_000_000L,
                    Cause.health("FILE_CHECK [2001:db8::1]:65535", 1), pool));
        }

        List<EventRecord> records = JournalFixtures.readAll(dir);
        assertThat(records).singleElement().extracting(EventRecord::event).isEqualTo(pool);

        PoolView replayed = Replay.stateAt(List.of(dir), Long.MAX_VALUE).view().nodes().get("node-11").pools()
                .get(pool.virtualServer());
        assertThat(replayed.members()).hasSize(MEMBERS).isEqualTo(pool.members());
        assertThat(replayed.generation()).isEqualTo(7);

        JournalTail.Batch batch = new JournalTail(dir).read(1, 1, 512, SHIP_BATCH_BYTES);
        assertThat(batch.records()).isEqualTo(1);
        int length = ByteBuffer.wrap(batch.frames()).getInt(0);
        assertThat(length).isGreaterThan(64 * 1024).isLessThanOrEqualTo(EventCodec.MAX_PAYLOAD);
        assertThat(batch.frames()).hasSizeLessThanOrEqualTo(SHIP_BATCH_BYTES);
        assertThat(new EventCodec().decode(batch.frames(), SegmentCursor.FRAME_HEADER, length).event())
                .isEqualTo(pool);
    }

    @Test
    void shouldLetTheLargestRecordFillTheShippingBatchExactly() {
        assertThat(EventCodec.MAX_PAYLOAD + SegmentCursor.FRAME_HEADER).isEqualTo(SHIP_BATCH_BYTES);
    }
}
