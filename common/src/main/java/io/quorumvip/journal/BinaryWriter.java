package io.quorumvip.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the primitives of the journal encoding (LEB128 varints, zig-zag, UTF-8 strings). */
final class BinaryWriter {

    static final int MAX_STRING_BYTES = 4096;

    private byte[] buf;
    private int pos;

    BinaryWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    int position() {
        return pos;
    }

    void position(int newPosition) {
        pos = newPosition;
    }

    byte[] array() {
        return buf;
    }

    void reset() {
        pos = 0;
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    void u8(int value) {
        ensure(1);
        buf[pos++] = (byte) value;
    }

    void bool(boolean value) {
        u8(value ? 1 : 0);
    }

    void int32(int value) {
        ensure(4);
        buf[pos++] = (byte) (value >>> 24);
        buf[pos++] = (byte) (value >>> 16);
        buf[pos++] = (byte) (value >>> 8);
        buf[pos++] = (byte) value;
    }

    void int32At(int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }

    void int64(long value) {
        int32((int) (value >>> 32));
        int32((int) value);
    }

    void varint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void zigzag(long value) {
        varint((value << 1) ^ (value >> 63));
    }

    void bytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buf, pos, value.length);
        pos += value.length;
    }

    void bytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, buf, pos, length);
        pos += length;
    }

    void string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string field of " + utf8.length + " bytes is too long (expected at most "
                    + MAX_STRING_BYTES + "): '" + value.substring(0, 40) + "...'");
        }
        varint(utf8.length);
        bytes(utf8);
    }
}
