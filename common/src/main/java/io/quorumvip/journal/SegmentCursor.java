package io.quorumvip.journal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Walks the record frames of one segment file: {@code [int length][int crc32c][payload]}, the CRC covering the
 * length and the payload. It only checks framing and CRCs; decoding and the hash chain are the caller's business.
 */
final class SegmentCursor implements AutoCloseable {

    static final int FRAME_HEADER = 8;
    static final int MAX_PAYLOAD = 64 * 1024;

    /** What {@link #next()} found at the current offset. */
    enum Frame {
        RECORD,
        END,
        SHORT_FRAME_HEADER,
        BAD_LENGTH,
        SHORT_PAYLOAD,
        BAD_CRC
    }

    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final SegmentHeader header;
    private final long size;
    private final CRC32C crc = new CRC32C();
    private byte[] payload = new byte[1024];
    private int payloadLength;
    private long offset;
    private long nextOffset;

    private SegmentCursor(Path file, FileChannel channel, MappedByteBuffer map) {
        this.file = file;
        this.channel = channel;
        this.map = map;
        this.size = map.capacity();
        this.header = SegmentHeader.decode(file, map.duplicate());
        this.nextOffset = SegmentHeader.SIZE;
    }

    static SegmentCursor open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new JournalDamageException(file, 0, "segment is " + size + " bytes (expected at most 2 GiB)");
            }
            return new SegmentCursor(file, channel, channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    SegmentHeader header() {
        return header;
    }

    long size() {
        return size;
    }

    /** Offset of the frame {@link #next()} looked at last. */
    long offset() {
        return offset;
    }

    byte[] payload() {
        return payload;
    }

    int payloadLength() {
        return payloadLength;
    }

    Frame next() {
        offset = nextOffset;
        Frame frame = frameAt(offset);
        if (frame == Frame.RECORD) {
            nextOffset = offset + FRAME_HEADER + payloadLength;
        }
        return frame;
    }

    private Frame frameAt(long at) {
        if (at == size) {
            return Frame.END;
        }
        if (size - at < FRAME_HEADER) {
            return Frame.SHORT_FRAME_HEADER;
        }
        int pos = (int) at;
        int length = map.getInt(pos);
        if (length <= 0 || length > MAX_PAYLOAD) {
            return Frame.BAD_LENGTH;
        }
        if (size - at - FRAME_HEADER < length) {
            return Frame.SHORT_PAYLOAD;
        }
        if (payload.length < length) {
            payload = new byte[Math.max(length, payload.length * 2)];
        }
        map.get(pos + FRAME_HEADER, payload, 0, length);
        payloadLength = length;
        crc.reset();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, 0, length);
        return map.getInt(pos + 4) == (int) crc.getValue() ? Frame.RECORD : Frame.BAD_CRC;
    }

    /**
     * Whether any intact frame starts after {@code from}. A bad frame with intact data behind it is damage, not a
     * torn write: a crash only ever loses the end of what was being written.
     */
    boolean intactFrameAfter(long from) {
        for (long at = from + 1; at + FRAME_HEADER < size; at++) {
            if (frameAt(at) == Frame.RECORD) {
                return true;
            }
        }
        return false;
    }

    static String describe(Frame frame) {
        return switch (frame) {
            case SHORT_FRAME_HEADER -> "the file ends inside a record's 8-byte frame header";
            case BAD_LENGTH -> "record length is outside 1.." + MAX_PAYLOAD;
            case SHORT_PAYLOAD -> "the file ends inside a record's payload";
            case BAD_CRC -> "record CRC32C mismatch";
            case RECORD, END -> frame.name();
        };
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
