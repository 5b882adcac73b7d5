package io.quorumvip.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link BinaryWriter} wrote, from a byte array. Short strings are de-duplicated through a small cache
 * because node ids and instance names repeat in nearly every record, and replay speed depends on not allocating them.
 */
final class BinaryReader {

    private static final int CACHE_SIZE = 256;
    private static final int CACHEABLE_LENGTH = 48;

    private final byte[][] cacheKeys = new byte[CACHE_SIZE][];
    private final String[] cacheValues = new String[CACHE_SIZE];
    private byte[] buf;
    private int pos;
    private int limit;

    void reset(byte[] source, int offset, int length) {
        buf = source;
        pos = offset;
        limit = offset + length;
    }

    int remaining() {
        return limit - pos;
    }

    private void need(int count, String what) {
        if (limit - pos < count) {
            throw new MalformedRecordException(what + " needs " + count + " bytes but only " + (limit - pos) + " remain in the record");
        }
    }

    int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    boolean bool(String what) {
        int value = u8(what);
        if (value > 1) {
            throw new MalformedRecordException(what + ": got " + value + " (expected 0 or 1)");
        }
        return value == 1;
    }

    int int32(String what) {
        need(4, what);
        int value = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return value;
    }

    long int64(String what) {
        return ((long) int32(what) << 32) | (int32(what) & 0xFFFFFFFFL);
    }

    long varint(String what) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1, what);
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedRecordException(what + ": varint longer than 10 bytes");
    }

    int varint32(String what) {
        long value = varint(what);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new MalformedRecordException(what + ": got " + value + " (expected a 32-bit value)");
        }
        return (int) value;
    }

    long zigzag(String what) {
        long raw = varint(what);
        return (raw >>> 1) ^ -(raw & 1);
    }

    int zigzag32(String what) {
        long value = zigzag(what);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new MalformedRecordException(what + ": got " + value + " (expected a 32-bit value)");
        }
        return (int) value;
    }

    byte[] bytes(int length, String what) {
        need(length, what);
        byte[] out = new byte[length];
        System.arraycopy(buf, pos, out, 0, length);
        pos += length;
        return out;
    }

    String string(String what) {
        long length = varint(what);
        if (length < 0 || length > BinaryWriter.MAX_STRING_BYTES) {
            throw new MalformedRecordException(what + " length: got " + length + " (expected 0.." + BinaryWriter.MAX_STRING_BYTES + ")");
        }
        int len = (int) length;
        need(len, what);
        String value = len <= CACHEABLE_LENGTH ? cached(len) : new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return value;
    }

    private String cached(int len) {
        int hash = 1;
        for (int i = 0; i < len; i++) {
            hash = 31 * hash + buf[pos + i];
        }
        int slot = (hash ^ (hash >>> 16)) & (CACHE_SIZE - 1);
        byte[] key = cacheKeys[slot];
        if (key != null && key.length == len && Arrays.equals(key, 0, len, buf, pos, pos + len)) {
            return cacheValues[slot];
        }
        byte[] copy = Arrays.copyOfRange(buf, pos, pos + len);
        String value = new String(copy, StandardCharsets.UTF_8);
        cacheKeys[slot] = copy;
        cacheValues[slot] = value;
        return value;
    }
}
