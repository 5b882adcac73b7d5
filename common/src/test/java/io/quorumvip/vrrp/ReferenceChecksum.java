package io.quorumvip.vrrp;

/**
 * An Internet checksum written independently of the production one, the plain way RFC 1071 §4.1 shows it: sum the
 * 16-bit words with the end-around carry at every step, then complement.
 */
final class ReferenceChecksum {

    private ReferenceChecksum() {
    }

    static int of(byte[]... parts) {
        byte[] all = concat(parts);
        int sum = 0;
        for (int i = 0; i < all.length; i += 2) {
            int word = (all[i] & 0xff) * 256 + (i + 1 < all.length ? all[i + 1] & 0xff : 0);
            sum += word;
            if (sum > 0xffff) {
                sum -= 0xffff;
            }
        }
        return 0xffff - sum;
    }

    /** The IPv4 pseudo-header of RFC 5798 §5.2.8 / RFC 768: source, destination, zero, protocol, length. */
    static byte[] ipv4PseudoHeader(byte[] source, byte[] destination, int protocol, int length) {
        return concat(source, destination, new byte[] {0, (byte) protocol, (byte) (length >> 8), (byte) length});
    }

    /** The IPv6 pseudo-header of RFC 2460 §8.1: source, destination, 32-bit length, three zeros, next header. */
    static byte[] ipv6PseudoHeader(byte[] source, byte[] destination, int nextHeader, int length) {
        return concat(source, destination, new byte[] {
                (byte) (length >> 24), (byte) (length >> 16), (byte) (length >> 8), (byte) length,
                0, 0, 0, (byte) nextHeader});
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
