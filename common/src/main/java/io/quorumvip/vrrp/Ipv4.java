package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as the decoder handles them: 32-bit ints in network order. */
final class Ipv4 {

    /** 224.0.0.18, the VRRP multicast group (RFC 3768 §5.2.2, RFC 5798 §5.1.1.2). */
    static final int VRRP_GROUP = 0xE0000012;

    static final Inet4Address VRRP_GROUP_ADDRESS = toAddress(VRRP_GROUP);

    private Ipv4() {
    }

    static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address toAddress(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            // getByAddress only throws for a length other than 4 or 16.
            throw new IllegalStateException(impossible);
        }
    }

    static String format(int value) {
        return (value >>> 24) + "." + (value >>> 16 & 0xff) + "." + (value >>> 8 & 0xff) + "." + (value & 0xff);
    }
}
