package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.EventCodec;
import io.quorumvip.journal.MalformedRecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits an ingest body into records. The body is journal frames back to back, exactly as in a segment file:
 * {@code [int length][int CRC32C(length bytes + payload)][payload]}, the payload being {@link EventCodec}'s encoding.
 */
final class RecordBatch {

    static final int FRAME_HEADER = 8;
    private RecordBatch() {
    }

    /** @throws MalformedBatchException naming the byte offset and what is wrong there */
    static List<ReceivedRecord> parse(byte[] body) {
        if (body.length == 0) {
            throw new MalformedBatchException("empty body (expected one or more journal record frames)");
        }
        EventCodec codec = new EventCodec();
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.wrap(body);
        List<ReceivedRecord> records = new ArrayList<>();
        int at = 0;
        while (at < body.length) {
            if (body.length - at < FRAME_HEADER) {
                throw new MalformedBatchException("body ends inside a frame header at offset " + at + " ("
                        + (body.length - at) + " bytes left, expected " + FRAME_HEADER + ")");
            }
            int length = buf.getInt(at);
            if (length <= 0 || length > EventCodec.MAX_PAYLOAD) {
                throw new MalformedBatchException("frame at offset " + at + " has length " + length
                        + " (expected 1.." + EventCodec.MAX_PAYLOAD + ")");
            }
            if (body.length - at - FRAME_HEADER < length) {
                throw new MalformedBatchException("frame at offset " + at + " needs " + length + " payload bytes but only "
                        + (body.length - at - FRAME_HEADER) + " follow");
            }
            crc.reset();
            crc.update(body, at, 4);
            crc.update(body, at + FRAME_HEADER, length);
            if (buf.getInt(at + 4) != (int) crc.getValue()) {
                throw new MalformedBatchException("frame at offset " + at + ": CRC32C mismatch (the frame was damaged in transit)");
            }
            EventRecord record;
            try {
                record = codec.decode(body, at + FRAME_HEADER, length);
            } catch (MalformedRecordException e) {
                throw new MalformedBatchException("frame at offset " + at + " passes its CRC but does not decode: " + e.getMessage());
            }
            int end = at + FRAME_HEADER + length;
            records.add(new ReceivedRecord(record, Arrays.copyOfRange(body, at, end), at));
            at = end;
        }
        return records;
    }
}
