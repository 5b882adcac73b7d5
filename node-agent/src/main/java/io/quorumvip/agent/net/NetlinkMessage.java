package io.quorumvip.agent.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** One message read from a netlink socket; {@code payload} is what follows struct nlmsghdr, in native order. */
record NetlinkMessage(int type, int flags, int sequence, ByteBuffer payload) {

    /**
     * Splits the first {@code length} bytes of {@code datagram} into messages, copying each payload so that the
     * receive buffer can be reused.
     */
    static List<NetlinkMessage> parseAll(ByteBuffer datagram, int length) throws NetlinkFormatException {
        List<NetlinkMessage> messages = new ArrayList<>();
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        int offset = 0;
        while (offset + Netlink.HEADER_SIZE <= length) {
            int messageLength = in.getInt(offset);
            if (messageLength < Netlink.HEADER_SIZE || offset + messageLength > length) {
                throw new NetlinkFormatException("netlink message at offset " + offset + " claims " + messageLength
                        + " bytes (expected " + Netlink.HEADER_SIZE + ".." + (length - offset) + ")");
            }
            int type = Short.toUnsignedInt(in.getShort(offset + 4));
            int flags = Short.toUnsignedInt(in.getShort(offset + 6));
            int sequence = in.getInt(offset + 8);
            byte[] payload = new byte[messageLength - Netlink.HEADER_SIZE];
            in.get(offset + Netlink.HEADER_SIZE, payload);
            messages.add(new NetlinkMessage(type, flags, sequence, ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder())));
            offset += Netlink.align(messageLength);
        }
        return messages;
    }

    /** The errno of an NLMSG_ERROR message, positive; 0 is an acknowledgement. */
    int errorCode() throws NetlinkFormatException {
        if (payload.capacity() < 4) {
            throw new NetlinkFormatException("NLMSG_ERROR of " + payload.capacity() + " bytes (expected at least 4)");
        }
        return -payload.getInt(0);
    }

    /** The kernel's own explanation of an error (extended ack, NLMSGERR_ATTR_MSG), when it gave one. */
    String extendedErrorText() throws NetlinkFormatException {
        if ((flags & Netlink.NLM_F_ACK_TLVS) == 0 || payload.capacity() < Netlink.NLMSGERR_SIZE) {
            return "";
        }
        // With NETLINK_CAP_ACK the echoed request is cut down to its header, so the attributes follow directly.
        NetlinkAttributes attributes = NetlinkAttributes.parse(payload, Netlink.NLMSGERR_SIZE);
        return attributes.string(Netlink.NLMSGERR_ATTR_MSG).orElse("");
    }
}
