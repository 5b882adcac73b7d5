package io.quorumvip.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a live journal's record frames by sequence number, byte for byte as they stand in its segments, for a
 * shipper that sends them elsewhere. It only reads the files (never the writer's lock), so callers must bound each
 * read by the journal's durable sequence: frames past it may still be half written or cut back after a failed write.
 * It remembers where the last read ended, so reading on from there does not rescan the segment. Not thread-safe:
 * one reader per shipper.
 */
public final class JournalTail {

    /** Frames of records {@code firstSeq..lastSeq} back to back; {@code records == 0} when there was nothing. */
    public record Batch(long firstSeq, long lastSeq, int records, byte[] frames) {
        static final Batch EMPTY = new Batch(0, 0, 0, new byte[0]);

        public boolean isEmpty() {
            return records == 0;
        }
    }

    private final Path dir;
    private final EventCodec codec = new EventCodec();
    private long positionSegment = -1;
    private long positionOffset;
    private long positionSeq;

    public JournalTail(Path dir) {
        this.dir = dir;
    }

    /**
     * The frames of records {@code fromSeq..upToSeq}, at most {@code maxRecords} of them and at most
     * {@code maxBytes} (but always at least one record when there is one). When retention has removed
     * {@code fromSeq} already, the batch starts at the oldest record kept.
     *
     * @throws JournalDamageException when a sealed segment does not read
     */
    public Batch read(long fromSeq, long upToSeq, int maxRecords, int maxBytes) throws IOException {
        if (fromSeq > upToSeq) {
            return Batch.EMPTY;
        }
        try {
            return readFrames(fromSeq, upToSeq, maxRecords, maxBytes);
        } catch (IOException | RuntimeException e) {
            positionSegment = -1;
            throw e;
        }
    }

    private Batch readFrames(long fromSeq, long upToSeq, int maxRecords, int maxBytes) throws IOException {
        List<Path> segments = JournalReader.segmentFiles(dir);
        if (segments.isEmpty()) {
            return Batch.EMPTY;
        }
        int start = -1;
        long startOffset = SegmentHeader.SIZE;
        if (positionSeq == fromSeq && positionSegment >= 0) {
            for (int i = 0; i < segments.size(); i++) {
                if (SegmentHeader.indexOf(segments.get(i)) == positionSegment) {
                    start = i;
                    startOffset = positionOffset;
                }
            }
        }
        if (start < 0) {
            start = segmentHolding(segments, fromSeq);
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        long first = 0;
        long last = 0;
        int count = 0;
        for (int i = start; i < segments.size(); i++) {
            boolean lastSegment = i == segments.size() - 1;
            try (SegmentCursor cursor = SegmentCursor.open(segments.get(i))) {
                cursor.seek(i == start ? startOffset : SegmentHeader.SIZE);
                while (true) {
                    SegmentCursor.Frame frame = cursor.next();
                    if (frame == SegmentCursor.Frame.END) {
                        remember(segments.get(i), cursor.offset(), last + 1, count);
                        break;
                    }
                    if (frame != SegmentCursor.Frame.RECORD) {
                        if (lastSegment) {
                            return new Batch(first, last, count, frames.toByteArray());
                        }
                        throw new JournalDamageException(cursor.file(), cursor.offset(), SegmentCursor.describe(frame)
                                + " in a sealed segment: the segment was truncated or altered (check it with qvip replay --verify)");
                    }
                    long seq = JournalReader.decode(codec, cursor).seq();
                    if (seq < fromSeq) {
                        continue;
                    }
                    int frameLength = SegmentCursor.FRAME_HEADER + cursor.payloadLength();
                    if (seq > upToSeq || count == maxRecords || (count > 0 && frames.size() + frameLength > maxBytes)) {
                        remember(segments.get(i), cursor.offset(), seq, 1);
                        return new Batch(first, last, count, frames.toByteArray());
                    }
                    frames.write(cursor.payload(), cursor.payloadOffset() - SegmentCursor.FRAME_HEADER, frameLength);
                    first = count == 0 ? seq : first;
                    last = seq;
                    count++;
                }
            }
        }
        return new Batch(first, last, count, frames.toByteArray());
    }

    private void remember(Path segment, long offset, long seq, int records) {
        if (records > 0) {
            positionSegment = SegmentHeader.indexOf(segment);
            positionOffset = offset;
            positionSeq = seq;
        }
    }

    /** The last segment whose first record is at or before {@code seq}; the first segment when none is. */
    private int segmentHolding(List<Path> segments, long seq) throws IOException {
        for (int i = segments.size() - 1; i > 0; i--) {
            try (SegmentCursor cursor = SegmentCursor.open(segments.get(i))) {
                if (cursor.next() == SegmentCursor.Frame.RECORD && JournalReader.decode(codec, cursor).seq() <= seq) {
                    return i;
                }
            }
        }
        return 0;
    }
}
