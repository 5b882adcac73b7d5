package io.quorumvip.vrrp;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Builds IPv6 datagrams as the IPv6 transport hands them to the codec: a fixed 40-byte header (what the kernel
 * reported: source, destination, hop limit) and the VRRP message. For tests here and in other modules.
 */
public final class Ipv6Datagrams {

    private Ipv6Datagrams() {
    }

    /** A 40-byte IPv6 header with next header {@code nextHeader} and {@code hopLimit} around {@code payload}. */
    public static byte[] wrap(byte[] payload, InetAddress source, InetAddress destination, int hopLimit,
            int nextHeader) {
        byte[] header = new byte[VrrpCodec.IPV6_HEADER_LENGTH];
        header[0] = 0x60;
        header[4] = (byte) (payload.length >> 8);
        header[5] = (byte) payload.length;
        header[6] = (byte) nextHeader;
        header[7] = (byte) hopLimit;
        System.arraycopy(source.getAddress(), 0, header, 8, 16);
        System.arraycopy(destination.getAddress(), 0, header, 24, 16);
        return ReferenceChecksum.concat(header, payload);
    }

    /** Encodes {@code advert} (an IPv6 version 3 advert) and wraps it with its hop limit, source and destination. */
    public static byte[] of(VrrpPacket advert) {
        ByteBuffer message = ByteBuffer.allocate(VrrpCodec.encodedLength(advert));
        VrrpCodec.encode(advert, message);
        return wrap(message.array(), advert.source(), advert.destination(), advert.ttl(), VrrpCodec.IP_PROTOCOL);
    }
}
