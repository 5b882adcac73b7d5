package io.quorumvip.agent.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The attributes (struct rtattr / nlattr) of one netlink message, by type; the last of a repeated type wins. */
final class NetlinkAttributes {
    private static final int MAX_TYPE = 64;
    /** Masks off NLA_F_NESTED and NLA_F_NET_BYTEORDER. */
    private static final int TYPE_MASK = 0x3FFF;

    private final ByteBuffer[] byType = new ByteBuffer[MAX_TYPE];

    private NetlinkAttributes() {
    }

    static NetlinkAttributes parse(ByteBuffer payload, int start) throws NetlinkFormatException {
        NetlinkAttributes attributes = new NetlinkAttributes();
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        int end = payload.capacity();
        int offset = start;
        while (offset + Netlink.ATTRIBUTE_HEADER_SIZE <= end) {
            int length = Short.toUnsignedInt(in.getShort(offset));
            int type = Short.toUnsignedInt(in.getShort(offset + 2)) & TYPE_MASK;
            if (length < Netlink.ATTRIBUTE_HEADER_SIZE || offset + length > end) {
                throw new NetlinkFormatException("attribute " + type + " at offset " + offset + " claims " + length
                        + " bytes (expected " + Netlink.ATTRIBUTE_HEADER_SIZE + ".." + (end - offset) + ")");
            }
            if (type < MAX_TYPE) {
                attributes.byType[type] = in.slice(offset + Netlink.ATTRIBUTE_HEADER_SIZE,
                        length - Netlink.ATTRIBUTE_HEADER_SIZE).order(ByteOrder.nativeOrder());
            }
            offset += Netlink.align(length);
        }
        return attributes;
    }

    Optional<byte[]> bytes(int type) {
        ByteBuffer value = byType[type];
        if (value == null) {
            return Optional.empty();
        }
        byte[] out = new byte[value.capacity()];
        value.get(0, out);
        return Optional.of(out);
    }

    /** A NUL-terminated string attribute, without its terminator. */
    Optional<String> string(int type) {
        return bytes(type).map(value -> {
            int length = 0;
            while (length < value.length && value[length] != 0) {
                length++;
            }
            return new String(value, 0, length, StandardCharsets.US_ASCII);
        });
    }

    /** The attributes nested in attribute {@code type}, if it is there. */
    Optional<NetlinkAttributes> nested(int type) throws NetlinkFormatException {
        ByteBuffer value = byType[type];
        return value == null ? Optional.empty() : Optional.of(parse(value, 0));
    }

    Optional<Integer> u8(int type) throws NetlinkFormatException {
        ByteBuffer value = sized(type, 1);
        return value == null ? Optional.empty() : Optional.of(Byte.toUnsignedInt(value.get(0)));
    }

    Optional<Long> u32(int type) throws NetlinkFormatException {
        ByteBuffer value = sized(type, 4);
        return value == null ? Optional.empty() : Optional.of(Integer.toUnsignedLong(value.getInt(0)));
    }

    /** A 64-bit attribute in network byte order, as nf_tables writes its counters. */
    Optional<Long> u64BigEndian(int type) throws NetlinkFormatException {
        ByteBuffer value = sized(type, 8);
        return value == null ? Optional.empty() : Optional.of(value.order(ByteOrder.BIG_ENDIAN).getLong(0));
    }

    /** The {@code index}-th native-order 32-bit word of an attribute such as struct ifa_cacheinfo. */
    Optional<Long> u32At(int type, int index) throws NetlinkFormatException {
        ByteBuffer value = sized(type, 4 * (index + 1));
        return value == null ? Optional.empty() : Optional.of(Integer.toUnsignedLong(value.getInt(4 * index)));
    }

    private ByteBuffer sized(int type, int minimum) throws NetlinkFormatException {
        ByteBuffer value = byType[type];
        if (value != null && value.capacity() < minimum) {
            throw new NetlinkFormatException(
                    "attribute " + type + " has " + value.capacity() + " bytes (expected at least " + minimum + ")");
        }
        return value;
    }
}
