package io.quorumvip.agent.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink message: struct nlmsghdr, the family header, then attributes, each padded to 4 bytes.
 * Netlink talks in the host's byte order, so everything but addresses is written in native order.
 */
final class NetlinkMessageBuilder {
    private static final int MAX_SIZE = 512;

    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_SIZE).order(ByteOrder.nativeOrder());
    private final int[] nests = new int[4];
    private int depth;

    NetlinkMessageBuilder(int type, int flags, int sequence) {
        buffer.putInt(0);
        buffer.putShort((short) type);
        buffer.putShort((short) flags);
        buffer.putInt(sequence);
        buffer.putInt(0);
    }

    NetlinkMessageBuilder u8(int value) {
        buffer.put((byte) value);
        return this;
    }

    NetlinkMessageBuilder u16(int value) {
        buffer.putShort((short) value);
        return this;
    }

    NetlinkMessageBuilder u32(int value) {
        buffer.putInt(value);
        return this;
    }

    NetlinkMessageBuilder attribute(int type, byte[] value) {
        buffer.putShort((short) (Netlink.ATTRIBUTE_HEADER_SIZE + value.length));
        buffer.putShort((short) type);
        buffer.put(value);
        pad();
        return this;
    }

    NetlinkMessageBuilder attributeString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        byte[] terminated = new byte[text.length + 1];
        System.arraycopy(text, 0, terminated, 0, text.length);
        return attribute(type, terminated);
    }

    /** An attribute made of native-order 32-bit words, like struct ifa_cacheinfo. */
    NetlinkMessageBuilder attributeU32s(int type, int... values) {
        ByteBuffer words = ByteBuffer.allocate(values.length * 4).order(ByteOrder.nativeOrder());
        for (int value : values) {
            words.putInt(value);
        }
        return attribute(type, words.array());
    }

    /** Opens a nested attribute; {@link #end} closes it with its length. */
    NetlinkMessageBuilder begin(int type) {
        nests[depth++] = buffer.position();
        buffer.putShort((short) 0);
        buffer.putShort((short) type);
        return this;
    }

    NetlinkMessageBuilder end() {
        pad();
        int start = nests[--depth];
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    NetlinkMessageBuilder attributeU32(int type, int value) {
        return attributeU32s(type, value);
    }

    byte[] build() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " nested attribute(s) not closed");
        }
        pad();
        int length = buffer.position();
        buffer.putInt(0, length);
        byte[] out = new byte[length];
        buffer.get(0, out);
        return out;
    }

    private void pad() {
        while (buffer.position() % 4 != 0) {
            buffer.put((byte) 0);
        }
    }
}
