package io.quorumvip.vrrp;

import java.nio.ByteBuffer;

/**
 * The 16-bit one's complement Internet checksum (RFC 1071) over big-endian words, read with absolute gets so that
 * neither the buffer's position nor its byte order matter.
 */
final class InternetChecksum {

    private InternetChecksum() {
    }

    /** Adds the bytes {@code [offset, offset + length)} to {@code sum}; an odd last byte is padded with a zero. */
    static long add(long sum, ByteBuffer buffer, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += (buffer.get(i) & 0xff) << 8 | (buffer.get(i + 1) & 0xff);
        }
        if (i < end) {
            sum += (buffer.get(i) & 0xff) << 8;
        }
        return sum;
    }

    static long add(long sum, byte[] bytes) {
        for (int i = 0; i < bytes.length; i += 2) {
            sum += (bytes[i] & 0xff) << 8 | (i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0);
        }
        return sum;
    }

    /** Adds a 32-bit value as two 16-bit words, as an IPv4 address in a pseudo-header. */
    static long addInt(long sum, int value) {
        return sum + (value >>> 16) + (value & 0xffff);
    }

    /** Folds the carries back in (end-around carry) and returns the 16-bit sum. */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The value to write into the checksum field, given the sum of everything else. */
    static int checksum(long sumWithoutChecksumField) {
        return ~fold(sumWithoutChecksumField) & 0xffff;
    }

    /** True when a sum taken over the data including its checksum field verifies (RFC 1071 §1: all ones). */
    static boolean verifies(long sumIncludingChecksumField) {
        return fold(sumIncludingChecksumField) == 0xffff;
    }
}
