package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds IPv4 datagrams the way a raw socket delivers them (header included), for tests here and in other modules.
 * The header checksum comes from {@link ReferenceChecksum}, not from the code under test.
 */
public final class Ipv4Datagrams {

    private Ipv4Datagrams() {
    }

    /** A 20-byte IPv4 header with TTL 255 and protocol 112 around {@code payload}. */
    public static byte[] wrap(byte[] payload, InetAddress source, InetAddress destination) {
        return wrap(payload, source, destination, 255, VrrpCodec.IP_PROTOCOL);
    }

    public static byte[] wrap(byte[] payload, InetAddress source, InetAddress destination, int ttl, int protocol) {
        byte[] header = new byte[20];
        int total = header.length + payload.length;
        header[0] = 0x45;
        header[1] = (byte) 0xc0; // DSCP CS6 (internetwork control), as keepalived sets it
        header[2] = (byte) (total >> 8);
        header[3] = (byte) total;
        header[4] = 0x12;
        header[5] = 0x34;
        header[8] = (byte) ttl;
        header[9] = (byte) protocol;
        System.arraycopy(((Inet4Address) source).getAddress(), 0, header, 12, 4);
        System.arraycopy(((Inet4Address) destination).getAddress(), 0, header, 16, 4);
        int checksum = ReferenceChecksum.of(header);
        header[10] = (byte) (checksum >> 8);
        header[11] = (byte) checksum;
        return ReferenceChecksum.concat(header, payload);
    }

    /** Encodes {@code advert} and wraps it in an IPv4 header with the advert's TTL, source and destination. */
    public static byte[] of(VrrpPacket advert) {
        ByteBuffer message = ByteBuffer.allocate(VrrpCodec.encodedLength(advert));
        VrrpCodec.encode(advert, message);
        return wrap(message.array(), advert.source(), advert.destination(), advert.ttl(), VrrpCodec.IP_PROTOCOL);
    }

    /** Recomputes the IPv4 header checksum after a test changed a header field on purpose. */
    public static byte[] withFixedHeaderChecksum(byte[] datagram) {
        byte[] fixed = datagram.clone();
        int headerLength = (fixed[0] & 0x0f) * 4;
        fixed[10] = 0;
        fixed[11] = 0;
        int checksum = ReferenceChecksum.of(Arrays.copyOf(fixed, headerLength));
        fixed[10] = (byte) (checksum >> 8);
        fixed[11] = (byte) checksum;
        return fixed;
    }
}
