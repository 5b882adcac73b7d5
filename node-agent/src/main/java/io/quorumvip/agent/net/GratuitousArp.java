package io.quorumvip.agent.net;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * The gratuitous ARP frame keepalived 2.2.7 sends (captured from it in a namespace): Ethernet broadcast, ARP request,
 * sender = target = the address, sender MAC = the interface's MAC, target MAC ff:ff:ff:ff:ff:ff, 42 bytes.
 * RFC 5227 would put zeros in the target MAC; we send what keepalived sends, so that hosts and switches tuned for
 * keepalived see the same frame.
 */
final class GratuitousArp {
    static final int FRAME_SIZE = 42;
    private static final int ETHERNET_ADDRESS_SIZE = 6;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPOP_REQUEST = 1;
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private GratuitousArp() {
    }

    static byte[] frame(MacAddress sender, Inet4Address address) {
        byte[] mac = sender.bytes();
        if (mac.length != ETHERNET_ADDRESS_SIZE) {
            throw new IllegalArgumentException("hardware address " + sender + " has " + mac.length
                    + " bytes (expected " + ETHERNET_ADDRESS_SIZE + ": gratuitous ARP is sent on Ethernet only)");
        }
        byte[] ip = address.getAddress();
        ByteBuffer frame = ByteBuffer.allocate(FRAME_SIZE);
        frame.put(BROADCAST).put(mac).putShort((short) LibC.ETH_P_ARP);
        frame.putShort((short) ARPHRD_ETHER).putShort((short) ETHERTYPE_IPV4)
                .put((byte) ETHERNET_ADDRESS_SIZE).put((byte) 4).putShort((short) ARPOP_REQUEST);
        frame.put(mac).put(ip).put(BROADCAST).put(ip);
        return frame.array();
    }
}
