package io.quorumvip.forensics.wire;

import io.quorumvip.vrrp.AuthType;
import io.quorumvip.vrrp.Ipv4Datagrams;
import io.quorumvip.vrrp.VrrpPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/** Ethernet frames as a capture holds them, built by hand (for tests here and in other modules). */
public final class WireFrames {

    public static final Inet4Address N1 = ipv4("192.0.2.11");
    public static final Inet4Address N2 = ipv4("192.0.2.12");
    public static final Inet4Address VIP = ipv4("192.0.2.200");
    public static final byte[] N1_MAC = {2, 0, 0, 0, 0, 0x11};
    public static final byte[] N2_MAC = {2, 0, 0, 0, 0, 0x12};
    private static final byte[] VRRP_GROUP_MAC = {1, 0, 0x5e, 0, 0, 0x12};
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private WireFrames() {
    }

    /** A version 2 advert of VRID 51 for {@link #VIP} with auth PASS, as keepalived sends it, padded to 60 bytes. */
    public static byte[] advert(Inet4Address source, byte[] mac, int priority) {
        VrrpPacket packet = VrrpPacket.v2Advert(51, priority, 1, List.of(VIP), AuthType.SIMPLE_TEXT, "1111", source);
        return ethernet(VRRP_GROUP_MAC, mac, 0x0800, Ipv4Datagrams.of(packet));
    }

    /** An ARP packet (1 request, 2 reply) from {@code sender} at {@code mac} about {@code target}. */
    public static byte[] arp(int operation, Inet4Address sender, byte[] mac, Inet4Address target) {
        ByteBuffer arp = ByteBuffer.allocate(28);
        arp.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) operation)
                .put(mac).put(sender.getAddress()).put(new byte[6]).put(target.getAddress());
        return ethernet(BROADCAST, mac, 0x0806, arp.array());
    }

    /** An unsolicited Neighbour Advertisement (override set) for {@code target} at {@code mac}; checksum not set. */
    public static byte[] neighbourAdvert(InetAddress source, InetAddress target, byte[] mac) {
        ByteBuffer ip = ByteBuffer.allocate(40 + 32);
        ip.putInt(0x60000000).putShort((short) 32).put((byte) 58).put((byte) 255).put(source.getAddress())
                .put(ipv6("ff02::1").getAddress());
        ip.put((byte) 136).put((byte) 0).putShort((short) 0).put((byte) 0x20).put(new byte[3])
                .put(target.getAddress()).put((byte) 2).put((byte) 1).put(mac);
        return ethernet(new byte[] {0x33, 0x33, 0, 0, 0, 1}, mac, 0x86dd, ip.array());
    }

    /** An Ethernet frame of {@code type} around {@code payload}, padded to the 60-byte minimum as a NIC sends it. */
    public static byte[] ethernet(byte[] destination, byte[] source, int type, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(Math.max(60, 14 + payload.length));
        frame.put(destination).put(source).putShort((short) type).put(payload);
        return frame.array();
    }

    public static Inet4Address ipv4(String literal) {
        return (Inet4Address) address(literal);
    }

    public static InetAddress ipv6(String literal) {
        return address(literal);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
