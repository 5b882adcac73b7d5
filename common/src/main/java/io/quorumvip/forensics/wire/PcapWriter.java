package io.quorumvip.forensics.wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the classic libpcap format (version 2.4, microsecond timestamps, little-endian, link type Ethernet) that
 * tcpdump, tshark and Wireshark read: a 24-byte file header, then per frame a 16-byte record header (seconds,
 * microseconds, captured length, original length) and the bytes. Written here rather than through libpcap's dumper
 * so that {@code qvip forensics --pcap} runs where libpcap is not installed, and the agent's capture files and the
 * exported ones are the same code.
 */
public final class PcapWriter implements Closeable {

    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int LINKTYPE_ETHERNET = 1;
    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;
    /** Larger than any Ethernet frame we keep; tools take the captured length from each record. */
    static final int SNAP_LENGTH = 65535;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private long bytes;

    /** Writes the file header to {@code out} at once; the writer owns {@code out} from then on. */
    public PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        header.putInt(MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(SNAP_LENGTH).putInt(LINKTYPE_ETHERNET);
        out.write(header.array(), 0, FILE_HEADER_LENGTH);
        bytes = FILE_HEADER_LENGTH;
    }

    /** Appends one frame captured at {@code micros} (µs since 1970) whose length on the wire was {@code wireLength}. */
    public void write(long micros, byte[] frame, int wireLength) throws IOException {
        if (frame.length > SNAP_LENGTH) {
            throw new IllegalArgumentException("pcap frame length got " + frame.length + " bytes (expected at most "
                    + SNAP_LENGTH + ", the snap length)");
        }
        header.clear();
        header.putInt((int) Math.floorDiv(micros, 1_000_000)).putInt((int) Math.floorMod(micros, 1_000_000))
                .putInt(frame.length).putInt(Math.max(wireLength, frame.length));
        out.write(header.array(), 0, RECORD_HEADER_LENGTH);
        out.write(frame);
        bytes += RECORD_HEADER_LENGTH + frame.length;
    }

    public void write(CapturedFrame frame) throws IOException {
        write(frame.micros(), frame.frame(), frame.frame().length);
    }

    /** Bytes written so far, file header included: what the file holds once flushed. */
    public long bytes() {
        return bytes;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
