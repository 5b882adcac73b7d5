package io.quorumvip.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Walks the record frames of one segment file: {@code [int length][int crc32c][payload]}, the CRC covering the
 * length and the payload. It only checks framing and CRCs; decoding and the hash chain are the caller's business.
 * Reads through a 1 MiB window with positional reads rather than mmap, so a closed cursor holds nothing open
 * (a mapping would keep deleted segments' space and the file system busy until a GC).
 */
final class SegmentCursor implements AutoCloseable {

    static final int FRAME_HEADER = 8;
    /** One whole frame of the largest payload fits. */
    private static final int WINDOW = EventCodec.MAX_PAYLOAD + FRAME_HEADER;

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
    private final long size;
    private final SegmentHeader header;
    private final CRC32C crc = new CRC32C();
    private final byte[] window = new byte[WINDOW];
    private long windowStart;
    private int windowLength;
    private int payloadOffset;
    private int payloadLength;
    private long offset;
    private long nextOffset;

    private SegmentCursor(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
        fill(0);
        this.header = SegmentHeader.decode(file, ByteBuffer.wrap(window, 0, Math.min(windowLength, SegmentHeader.SIZE)));
        this.nextOffset = SegmentHeader.SIZE;
    }

    static SegmentCursor open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SegmentCursor(file, channel);
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

    /** The array holding the current payload, valid until the next call to {@link #next()}. */
    byte[] payload() {
        return window;
    }

    int payloadOffset() {
        return payloadOffset;
    }

    int payloadLength() {
        return payloadLength;
    }

    /** Makes {@link #next()} look at the frame starting at {@code offset} (a frame boundary found earlier). */
    void seek(long offset) {
        if (offset < SegmentHeader.SIZE || offset > size) {
            throw new IllegalArgumentException("seek in " + file + " got offset " + offset + " (expected "
                    + SegmentHeader.SIZE + ".." + size + ")");
        }
        nextOffset = offset;
    }

    Frame next() throws IOException {
        offset = nextOffset;
        Frame frame = frameAt(offset);
        if (frame == Frame.RECORD) {
            nextOffset = offset + FRAME_HEADER + payloadLength;
        }
        return frame;
    }

    private Frame frameAt(long at) throws IOException {
        if (at == size) {
            return Frame.END;
        }
        if (size - at < FRAME_HEADER) {
            return Frame.SHORT_FRAME_HEADER;
        }
        int pos = ensure(at, FRAME_HEADER);
        int length = intAt(pos);
        if (length <= 0 || length > EventCodec.MAX_PAYLOAD) {
            return Frame.BAD_LENGTH;
        }
        if (size - at - FRAME_HEADER < length) {
            return Frame.SHORT_PAYLOAD;
        }
        pos = ensure(at, FRAME_HEADER + length);
        crc.reset();
        crc.update(window, pos, 4);
        crc.update(window, pos + FRAME_HEADER, length);
        if (intAt(pos + 4) != (int) crc.getValue()) {
            return Frame.BAD_CRC;
        }
        payloadOffset = pos + FRAME_HEADER;
        payloadLength = length;
        return Frame.RECORD;
    }

    /** Makes bytes [at, at + count) available in the window and returns the index of {@code at} in it. */
    private int ensure(long at, int count) throws IOException {
        if (at < windowStart || at + count > windowStart + windowLength) {
            fill(at);
        }
        return (int) (at - windowStart);
    }

    private void fill(long from) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(window, 0, (int) Math.min(WINDOW, size - from));
        long at = from;
        while (buf.hasRemaining()) {
            int read = channel.read(buf, at);
            if (read < 0) {
                throw new IOException(file + " shrank while being read (at byte " + at + ")");
            }
            at += read;
        }
        windowStart = from;
        windowLength = buf.position();
    }

    private int intAt(int pos) {
        return ((window[pos] & 0xFF) << 24) | ((window[pos + 1] & 0xFF) << 16) | ((window[pos + 2] & 0xFF) << 8) | (window[pos + 3] & 0xFF);
    }

    /**
     * Whether any intact frame starts after {@code from}. A bad frame with intact data behind it is damage, not a
     * torn write: a crash only ever loses the end of what was being written.
     */
    boolean intactFrameAfter(long from) throws IOException {
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
            case BAD_LENGTH -> "record length is outside 1.." + EventCodec.MAX_PAYLOAD;
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
