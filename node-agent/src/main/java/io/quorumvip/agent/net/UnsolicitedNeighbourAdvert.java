package io.quorumvip.agent.net;

import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * The unsolicited Neighbour Advertisement (RFC 4861 §7.2.6) that tells the link an IPv6 address moved, as keepalived
 * sends one for each IPv6 VIP: Ethernet to 33:33:00:00:00:01, IPv6 from the address itself to all-nodes ff02::1
 * with hop limit 255, ICMPv6 type 136 with the Override flag (and not Solicited), the address as target, and the
 * interface's MAC as Target Link-Layer Address option. 86 bytes.
 */
final class UnsolicitedNeighbourAdvert {
    static final int FRAME_SIZE = 86;
    static final int ETH_P_IPV6 = 0x86dd;
    static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    private static final byte[] ALL_NODES = {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final int ICMPV6 = 58;
    private static final int ICMPV6_LENGTH = 32;
    private static final int NEIGHBOUR_ADVERTISEMENT = 136;
    private static final int OVERRIDE = 0x20;
    private static final int TARGET_LINK_LAYER_ADDRESS = 2;
    private static final int IPV6_HEADER = 40;

    private UnsolicitedNeighbourAdvert() {
    }

    static byte[] frame(MacAddress sender, Inet6Address address) {
        byte[] mac = sender.bytes();
        if (mac.length != 6) {
            throw new IllegalArgumentException("hardware address " + sender + " has " + mac.length
                    + " bytes (expected 6: neighbour advertisements are sent on Ethernet only)");
        }
        byte[] ip = address.getAddress();
        ByteBuffer frame = ByteBuffer.allocate(FRAME_SIZE);
        frame.put(ALL_NODES_MAC).put(mac).putShort((short) ETH_P_IPV6);
        frame.putInt(0x6000_0000).putShort((short) ICMPV6_LENGTH).put((byte) ICMPV6).put((byte) 255)
                .put(ip).put(ALL_NODES);
        int icmp = frame.position();
        frame.put((byte) NEIGHBOUR_ADVERTISEMENT).put((byte) 0).putShort((short) 0)
                .put((byte) OVERRIDE).put(new byte[3]).put(ip)
                .put((byte) TARGET_LINK_LAYER_ADDRESS).put((byte) 1).put(mac);
        frame.putShort(icmp + 2, (short) checksum(frame.array(), ip, icmp));
        return frame.array();
    }

    /** RFC 4443 §2.3: the one's complement sum over the IPv6 pseudo-header and the ICMPv6 message. */
    private static int checksum(byte[] frame, byte[] source, int icmp) {
        long sum = 0;
        byte[] pseudo = ByteBuffer.allocate(IPV6_HEADER).put(source).put(ALL_NODES).putInt(ICMPV6_LENGTH)
                .putInt(ICMPV6).array();
        for (int i = 0; i < pseudo.length; i += 2) {
            sum += (pseudo[i] & 0xff) << 8 | pseudo[i + 1] & 0xff;
        }
        for (int i = icmp; i < icmp + ICMPV6_LENGTH; i += 2) {
            sum += (frame[i] & 0xff) << 8 | frame[i + 1] & 0xff;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) ~sum & 0xffff;
    }
}
