package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Encodes VRRP advertisements for a raw socket and decodes and validates received IPv4 and IPv6 datagrams. Pure: no I/O, no
 * clock. Encoding writes the VRRP message only (RFC 3768 §5.1 / RFC 5798 §5.1; the kernel adds the IP header).
 * Decoding takes the whole IPv4 datagram as a raw socket delivers it and never throws: it returns the accepted
 * {@link VrrpPacket} or a {@link VrrpDrop}.
 */
public final class VrrpCodec {

    /** The IP protocol number of VRRP. */
    public static final int IP_PROTOCOL = 112;

    /** The fixed VRRP header: version/type, VRID, priority, count, two version-specific bytes, checksum. */
    static final int VRRP_HEADER_LENGTH = 8;

    private static final int IPV4_MIN_HEADER_LENGTH = 20;
    /** The fixed IPv6 header; raw IPv6 sockets deliver no header at all, so the transport writes this one. */
    public static final int IPV6_HEADER_LENGTH = 40;
    private static final int IPV6_ADDRESS_LENGTH = 16;
    private static final int ADVERTISEMENT = 1;

    /** Marks a decode that takes any VRID and reports the advert as sent: see {@link #decodeAsSeen}. */
    private static final VrrpExpectations AS_SEEN = VrrpExpectations.of();

    private VrrpCodec() {
    }

    /** The number of bytes {@link #encode} writes for {@code advert}. */
    public static int encodedLength(VrrpPacket advert) {
        int addressLength = advert.source() instanceof Inet6Address ? 16 : 4;
        int authLength = advert.version() == VrrpVersion.V2 ? VrrpPacket.AUTH_DATA_LENGTH : 0;
        return VRRP_HEADER_LENGTH + advert.addresses().size() * addressLength + authLength;
    }

    /**
     * Writes {@code advert} as a VRRP message (no IP header) at {@code out}'s position and advances it. Version 2:
     * header, IPv4 addresses, 8 bytes of authentication data, checksum over the message (RFC 3768 §5.3.8), byte for
     * byte as keepalived 2.2 sends it. Version 3: header with the 12-bit Max Adver Int, addresses, checksum over the
     * message and the IPv4 pseudo-header (RFC 5798 §5.2.8) or the IPv6 one (RFC 2460 §8.1), built from the advert's
     * source and destination, so they must be the addresses the kernel will put in the IP header.
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException when {@code out} has less room than {@link #encodedLength}
     */
    public static int encode(VrrpPacket advert, ByteBuffer out) {
        int length = encodedLength(advert);
        if (out.remaining() < length) {
            throw new IllegalArgumentException("VRRP encode buffer has " + out.remaining()
                    + " bytes left (expected at least " + length + " for this advert)");
        }
        int start = out.position();
        out.put(start, (byte) (advert.version().byteValue() << 4 | ADVERTISEMENT));
        out.put(start + 1, (byte) advert.vrid());
        out.put(start + 2, (byte) advert.priority());
        out.put(start + 3, (byte) advert.addresses().size());
        if (advert.version() == VrrpVersion.V2) {
            out.put(start + 4, advert.authType().byteValue());
            out.put(start + 5, (byte) (advert.advertIntervalCentis() / 100));
        } else {
            out.put(start + 4, (byte) (advert.advertIntervalCentis() >>> 8 & 0x0f));
            out.put(start + 5, (byte) advert.advertIntervalCentis());
        }
        out.put(start + 6, (byte) 0);
        out.put(start + 7, (byte) 0);
        int at = start + VRRP_HEADER_LENGTH;
        for (InetAddress address : advert.addresses()) {
            byte[] bytes = address.getAddress();
            out.put(at, bytes);
            at += bytes.length;
        }
        if (advert.version() == VrrpVersion.V2) {
            out.put(at, authData(advert.authPassword()));
        }

        long sum = advert.version() == VrrpVersion.V3 ? pseudoHeaderSum(advert, length) : 0;
        int checksum = InternetChecksum.checksum(InternetChecksum.add(sum, out, start, length));
        out.put(start + 6, (byte) (checksum >>> 8));
        out.put(start + 7, (byte) checksum);
        out.position(start + length);
        return length;
    }

    /**
     * Decodes and validates one IPv4 datagram holding a VRRP advert, header included, from {@code datagram}'s
     * position to its limit (the position is left as it was). Checks, in this order: IPv4 header (length, version,
     * total length = bytes received, header checksum), protocol 112, TTL 255 (RFC 5798 §7.1), VRRP version and type,
     * message length for the address count, checksum (version 3 with the IPv4 pseudo-header), then against
     * {@code expectations} like keepalived's {@code vrrp_check_packet}: VRID configured, same version, version 2 auth
     * type, password and advert interval, and the same set of addresses.
     *
     * <p>Allocates nothing but the result; a drop builds its text only when asked.
     */
    public static VrrpDecodeResult decode(ByteBuffer datagram, VrrpExpectations expectations) {
        int ip = datagram.position();
        int received = datagram.remaining();
        if (received < IPV4_MIN_HEADER_LENGTH) {
            return drop(DropReason.TRUNCATED, VrrpDrop.UNKNOWN, VrrpDrop.UNKNOWN, () -> "datagram length "
                    + received + " bytes (expected at least " + IPV4_MIN_HEADER_LENGTH + " for an IPv4 header)");
        }
        int ipVersion = u8(datagram, ip) >>> 4;
        int headerLength = (u8(datagram, ip) & 0x0f) * 4;
        if (ipVersion == 6) {
            return decodeIpv6(datagram, ip, received, expectations);
        }
        if (ipVersion != 4) {
            return drop(DropReason.BAD_IP_HEADER, VrrpDrop.UNKNOWN, VrrpDrop.UNKNOWN,
                    () -> "IP version " + ipVersion + " (expected 4 or 6)");
        }
        if (headerLength < IPV4_MIN_HEADER_LENGTH) {
            return drop(DropReason.BAD_IP_HEADER, VrrpDrop.UNKNOWN, VrrpDrop.UNKNOWN,
                    () -> "IPv4 header length " + headerLength + " bytes (expected 20..60)");
        }
        if (headerLength > received) {
            return drop(DropReason.TRUNCATED, VrrpDrop.UNKNOWN, VrrpDrop.UNKNOWN, () -> "datagram length "
                    + received + " bytes (expected at least " + headerLength + ", its IPv4 header length)");
        }
        long source = s32(datagram, ip + 12) & 0xffffffffL;
        int totalLength = u16(datagram, ip + 2);
        if (totalLength != received) {
            return drop(DropReason.BAD_IP_HEADER, VrrpDrop.UNKNOWN, source, () -> "IPv4 total length "
                    + totalLength + " (expected " + received + ", the bytes received)");
        }
        // The kernel has checked this already for datagrams off the wire; checking again costs little and keeps a
        // damaged source address (which the version 2 checksum does not cover) from passing as another sender.
        long headerSum = InternetChecksum.add(0, datagram, ip, headerLength);
        if (!InternetChecksum.verifies(headerSum)) {
            int stored = u16(datagram, ip + 10);
            int expected = InternetChecksum.checksum(headerSum - stored);
            return drop(DropReason.BAD_IP_HEADER, VrrpDrop.UNKNOWN, source,
                    () -> "IPv4 header checksum " + hex16(stored) + " (expected " + hex16(expected) + ")");
        }
        int protocol = u8(datagram, ip + 9);
        if (protocol != IP_PROTOCOL) {
            return drop(DropReason.NOT_VRRP, VrrpDrop.UNKNOWN, source,
                    () -> "IP protocol " + protocol + " (expected " + IP_PROTOCOL + ")");
        }
        int ttl = u8(datagram, ip + 8);
        if (ttl != VrrpPacket.REQUIRED_TTL) {
            return drop(DropReason.TTL_NOT_255, VrrpDrop.UNKNOWN, source,
                    () -> "IP TTL " + ttl + " (expected " + VrrpPacket.REQUIRED_TTL + ")");
        }
        int destination = s32(datagram, ip + 16);
        return decodeVrrp(datagram, ip + headerLength, received - headerLength, (int) source, destination,
                expectations);
    }

    /**
     * Decodes one captured datagram as {@link #decode} does, IP and VRRP header checks and checksum included, but
     * against no configuration: any VRID, and the advert's own version, interval and addresses are reported as sent.
     * For evidence (forensics reads what was on the wire), never for the state machine. A version 2 password is not
     * reported (the packet says {@link AuthType#SIMPLE_TEXT} with an empty password); IP_AH is dropped.
     */
    public static VrrpDecodeResult decodeAsSeen(ByteBuffer datagram) {
        return decode(datagram, AS_SEEN);
    }

    private static VrrpDecodeResult asSeen(ByteBuffer datagram, int vrrp, InetAddress source,
            InetAddress destination, long from) {
        int version = u8(datagram, vrrp) >>> 4;
        int vrid = u8(datagram, vrrp + 1);
        int count = u8(datagram, vrrp + 3);
        int addressLength = source instanceof Inet6Address ? IPV6_ADDRESS_LENGTH : 4;
        AuthType authType = AuthType.NONE;
        int intervalCentis;
        if (version == 2) {
            int auth = u8(datagram, vrrp + 4);
            if (auth > AuthType.SIMPLE_TEXT.byteValue()) {
                return drop(DropReason.AUTH_TYPE_MISMATCH, vrid, from,
                        () -> "auth type " + auth + " (expected 0 NONE or 1 SIMPLE_TEXT: AH is not supported)");
            }
            authType = auth == 0 ? AuthType.NONE : AuthType.SIMPLE_TEXT;
            intervalCentis = u8(datagram, vrrp + 5) * 100;
        } else {
            intervalCentis = u16(datagram, vrrp + 4) & 0x0fff;
        }
        if (intervalCentis == 0) {
            return drop(DropReason.ADVERT_INTERVAL_MISMATCH, vrid, from, () -> "advert interval 0 (expected > 0)");
        }
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = vrrp + VRRP_HEADER_LENGTH + addressLength * i;
            addresses.add(addressLength == 4 ? Ipv4.toAddress(s32(datagram, at)) : ipv6At(datagram, at));
        }
        return new VrrpPacket(version == 2 ? VrrpVersion.V2 : VrrpVersion.V3, vrid, u8(datagram, vrrp + 2),
                intervalCentis, addresses, authType, "", source, destination, VrrpPacket.REQUIRED_TTL);
    }

    private static VrrpDecodeResult decodeVrrp(ByteBuffer datagram, int vrrp, int length, int source,
            int destination, VrrpExpectations expectations) {
        long from = source & 0xffffffffL;
        if (length < VRRP_HEADER_LENGTH) {
            return drop(DropReason.TRUNCATED, VrrpDrop.UNKNOWN, from, () -> "VRRP message length " + length
                    + " bytes (expected at least " + VRRP_HEADER_LENGTH + " for the VRRP header)");
        }
        int version = u8(datagram, vrrp) >>> 4;
        int type = u8(datagram, vrrp) & 0x0f;
        int vrid = u8(datagram, vrrp + 1);
        int count = u8(datagram, vrrp + 3);
        if (version != 2 && version != 3) {
            return drop(DropReason.BAD_VERSION, vrid, from, () -> "VRRP version " + version + " (expected 2 or 3)");
        }
        if (type != ADVERTISEMENT) {
            return drop(DropReason.BAD_TYPE, vrid, from,
                    () -> "VRRP type " + type + " (expected " + ADVERTISEMENT + " ADVERTISEMENT)");
        }
        int expectedLength = VRRP_HEADER_LENGTH + 4 * count + (version == 2 ? VrrpPacket.AUTH_DATA_LENGTH : 0);
        if (length != expectedLength) {
            return drop(DropReason.LENGTH_MISMATCH, vrid, from, () -> "VRRP message length " + length
                    + " bytes (expected " + expectedLength + " for version " + version + " with " + count
                    + " IPv4 addresses)");
        }
        long sum = version == 3 ? ipv4PseudoHeaderSum(source, destination, length) : 0;
        sum = InternetChecksum.add(sum, datagram, vrrp, length);
        if (!InternetChecksum.verifies(sum)) {
            int stored = u16(datagram, vrrp + 6);
            int expected = InternetChecksum.checksum(sum - stored);
            String scope = version == 3 ? " over the message and the IPv4 pseudo-header)" : " over the message)";
            return drop(DropReason.BAD_CHECKSUM, vrid, from,
                    () -> "VRRP checksum " + hex16(stored) + " (expected " + hex16(expected) + scope);
        }
        if (expectations == AS_SEEN) {
            return asSeen(datagram, vrrp, Ipv4.toAddress(source), destination == Ipv4.VRRP_GROUP
                    ? Ipv4.VRRP_GROUP_ADDRESS : Ipv4.toAddress(destination), from);
        }
        VrrpExpectations.Prepared expected = expectations.prepared(vrid);
        if (expected == null) {
            return drop(DropReason.UNKNOWN_VRID, vrid, from, () -> "VRID " + vrid
                    + " (expected a VRID configured on this interface; " + expectations.describeVrids() + ")");
        }
        return checkAgainst(expected, datagram, vrrp, source, destination, from);
    }

    private static VrrpDecodeResult checkAgainst(VrrpExpectations.Prepared expected, ByteBuffer datagram,
            int vrrp, int source, int destination, long from) {
        VridExpectation config = expected.expectation;
        int version = u8(datagram, vrrp) >>> 4;
        int vrid = u8(datagram, vrrp + 1);
        int count = u8(datagram, vrrp + 3);
        int addressesAt = vrrp + VRRP_HEADER_LENGTH;
        if (version != config.version().byteValue()) {
            return drop(DropReason.VERSION_MISMATCH, vrid, from, () -> "VRRP version " + version + " (expected "
                    + config.version().byteValue() + ", as configured for VRID " + vrid + ")");
        }
        int intervalCentis;
        if (version == 2) {
            int authType = u8(datagram, vrrp + 4);
            if (authType != config.authType().byteValue()) {
                return drop(DropReason.AUTH_TYPE_MISMATCH, vrid, from, () -> "auth type " + authType
                        + " (expected " + config.authType().byteValue() + " " + config.authType() + ")");
            }
            if (config.authType() == AuthType.SIMPLE_TEXT
                    && !authDataMatches(datagram, addressesAt + 4 * count, expected.authData)) {
                return drop(DropReason.AUTH_MISMATCH, vrid, from,
                        () -> "password differs from the configured auth_pass (neither is shown)");
            }
            int intervalSeconds = u8(datagram, vrrp + 5);
            if (intervalSeconds * 100 != config.advertIntervalCentis()) {
                return drop(DropReason.ADVERT_INTERVAL_MISMATCH, vrid, from, () -> "advert interval "
                        + intervalSeconds + " s (expected " + config.advertIntervalCentis() / 100 + " s)");
            }
            intervalCentis = intervalSeconds * 100;
        } else {
            // RFC 5798 §5.2.7: the 4 reserved bits are ignored on reception.
            intervalCentis = u16(datagram, vrrp + 4) & 0x0fff;
            if (intervalCentis == 0) {
                return drop(DropReason.ADVERT_INTERVAL_MISMATCH, vrid, from,
                        () -> "advert interval 0 cs (expected 1..4095 cs)");
            }
        }
        // RFC 3768 §7.1 would only log a differing address list; keepalived 2.2 drops the advert (VRRP_PACKET_KO,
        // addr_list_err) unless skip_check_adv_addr applies, and a node that accepted what keepalived ignores would
        // elect differently, so it is dropped here too.
        if (count != expected.addressInts.length) {
            return drop(DropReason.ADDRESS_LIST_MISMATCH, vrid, from, () -> "address count " + count
                    + " (expected " + expected.addressInts.length + ": " + describe(expected.addressInts) + ")");
        }
        List<InetAddress> addresses = expected.addresses;
        if (!inConfiguredOrder(datagram, addressesAt, expected.addressInts)) {
            int missing = firstMissing(datagram, addressesAt, expected.addressInts);
            if (missing >= 0) {
                return drop(DropReason.ADDRESS_LIST_MISMATCH, vrid, from, () -> "advert lacks configured address "
                        + Ipv4.format(expected.addressInts[missing]) + " (expected the same set: "
                        + describe(expected.addressInts) + ")");
            }
            addresses = inPacketOrder(datagram, addressesAt, expected);
        }
        // keepalived checks the unicast source last, after the address list (vrrp_check_packet).
        if (!expected.acceptsSource(source)) {
            return drop(DropReason.NOT_A_UNICAST_PEER, vrid, from, () -> "sender is not a unicast_peer (expected one of "
                    + describe(expected.peerInts) + ")");
        }
        InetAddress destinationAddress = destination == Ipv4.VRRP_GROUP
                ? Ipv4.VRRP_GROUP_ADDRESS
                : Ipv4.toAddress(destination);
        String password = version == 2 ? config.authPassword() : "";
        return new VrrpPacket(config.version(), vrid, u8(datagram, vrrp + 2), intervalCentis, addresses,
                config.authType(), password, Ipv4.toAddress(source), destinationAddress, VrrpPacket.REQUIRED_TTL);
    }

    /**
     * The IPv6 half of {@link #decode}: a fixed 40-byte IPv6 header (no extension headers: a raw socket takes them
     * off, and the transport writes this header from what the kernel reports: source, destination, hop limit), then
     * the VRRP message. Checks payload length, next header 112, hop limit 255 (RFC 5798 §7.1), version 3 (version 2
     * is IPv4 only), length for the address count, the checksum with the IPv6 pseudo-header (RFC 5798 §5.2.8,
     * RFC 8200 §8.1), then the same expectations as IPv4, with the addresses compared as a set of IPv6 addresses.
     */
    private static VrrpDecodeResult decodeIpv6(ByteBuffer datagram, int ip, int received,
            VrrpExpectations expectations) {
        if (received < IPV6_HEADER_LENGTH) {
            return drop(DropReason.TRUNCATED, VrrpDrop.UNKNOWN, VrrpDrop.UNKNOWN, () -> "datagram length "
                    + received + " bytes (expected at least " + IPV6_HEADER_LENGTH + " for an IPv6 header)");
        }
        InetAddress source = ipv6At(datagram, ip + 8);
        InetAddress destination = ipv6At(datagram, ip + 24);
        int payloadLength = u16(datagram, ip + 4);
        if (payloadLength != received - IPV6_HEADER_LENGTH) {
            return drop6(DropReason.BAD_IP_HEADER, VrrpDrop.UNKNOWN, source, () -> "IPv6 payload length "
                    + payloadLength + " (expected " + (received - IPV6_HEADER_LENGTH) + ", the bytes received)");
        }
        int nextHeader = u8(datagram, ip + 6);
        if (nextHeader != IP_PROTOCOL) {
            return drop6(DropReason.NOT_VRRP, VrrpDrop.UNKNOWN, source,
                    () -> "IPv6 next header " + nextHeader + " (expected " + IP_PROTOCOL + ")");
        }
        int hopLimit = u8(datagram, ip + 7);
        if (hopLimit != VrrpPacket.REQUIRED_TTL) {
            return drop6(DropReason.TTL_NOT_255, VrrpDrop.UNKNOWN, source,
                    () -> "IPv6 hop limit " + hopLimit + " (expected " + VrrpPacket.REQUIRED_TTL + ")");
        }
        int vrrp = ip + IPV6_HEADER_LENGTH;
        int length = payloadLength;
        if (length < VRRP_HEADER_LENGTH) {
            return drop6(DropReason.TRUNCATED, VrrpDrop.UNKNOWN, source, () -> "VRRP message length " + length
                    + " bytes (expected at least " + VRRP_HEADER_LENGTH + " for the VRRP header)");
        }
        int version = u8(datagram, vrrp) >>> 4;
        int type = u8(datagram, vrrp) & 0x0f;
        int vrid = u8(datagram, vrrp + 1);
        int count = u8(datagram, vrrp + 3);
        if (version != 3) {
            return drop6(DropReason.BAD_VERSION, vrid, source, () -> "VRRP version " + version
                    + " over IPv6 (expected 3: version 2 is IPv4 only)");
        }
        if (type != ADVERTISEMENT) {
            return drop6(DropReason.BAD_TYPE, vrid, source,
                    () -> "VRRP type " + type + " (expected " + ADVERTISEMENT + " ADVERTISEMENT)");
        }
        int expectedLength = VRRP_HEADER_LENGTH + IPV6_ADDRESS_LENGTH * count;
        if (length != expectedLength) {
            return drop6(DropReason.LENGTH_MISMATCH, vrid, source, () -> "VRRP message length " + length
                    + " bytes (expected " + expectedLength + " for version 3 with " + count + " IPv6 addresses)");
        }
        long sum = ipv6PseudoHeaderSum(datagram, ip, length);
        sum = InternetChecksum.add(sum, datagram, vrrp, length);
        if (!InternetChecksum.verifies(sum)) {
            int stored = u16(datagram, vrrp + 6);
            int expected = InternetChecksum.checksum(sum - stored);
            return drop6(DropReason.BAD_CHECKSUM, vrid, source, () -> "VRRP checksum " + hex16(stored)
                    + " (expected " + hex16(expected) + " over the message and the IPv6 pseudo-header)");
        }
        if (expectations == AS_SEEN) {
            return asSeen(datagram, vrrp, source, destination, VrrpDrop.UNKNOWN);
        }
        VrrpExpectations.Prepared expected = expectations.prepared(vrid);
        if (expected == null) {
            return drop6(DropReason.UNKNOWN_VRID, vrid, source, () -> "VRID " + vrid
                    + " (expected a VRID configured on this interface; " + expectations.describeVrids() + ")");
        }
        VridExpectation config = expected.expectation;
        if (config.version() != VrrpVersion.V3) {
            return drop6(DropReason.VERSION_MISMATCH, vrid, source, () -> "VRRP version 3 over IPv6 (expected "
                    + config.version().byteValue() + ", as configured for VRID " + vrid + ")");
        }
        int intervalCentis = u16(datagram, vrrp + 4) & 0x0fff;
        if (intervalCentis == 0) {
            return drop6(DropReason.ADVERT_INTERVAL_MISMATCH, vrid, source,
                    () -> "advert interval 0 cs (expected 1..4095 cs)");
        }
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(ipv6At(datagram, vrrp + VRRP_HEADER_LENGTH + IPV6_ADDRESS_LENGTH * i));
        }
        if (!expected.ipv6 || count != expected.addresses.size()
                || !Set.copyOf(addresses).equals(Set.copyOf(expected.addresses))) {
            return drop6(DropReason.ADDRESS_LIST_MISMATCH, vrid, source, () -> "addresses " + addresses
                    .stream().map(InetAddress::getHostAddress).toList() + " (expected the same set: "
                    + expected.addresses.stream().map(InetAddress::getHostAddress).toList() + ")");
        }
        if (!expected.acceptsSource(source)) {
            return drop6(DropReason.NOT_A_UNICAST_PEER, vrid, source, () -> "sender is not a unicast_peer"
                    + " (expected one of " + config.unicastPeers().stream().map(InetAddress::getHostAddress)
                    .sorted().toList() + ")");
        }
        return new VrrpPacket(VrrpVersion.V3, vrid, u8(datagram, vrrp + 2), intervalCentis, addresses, AuthType.NONE,
                "", source, destination, VrrpPacket.REQUIRED_TTL);
    }

    /** RFC 8200 §8.1: source, destination, upper-layer length (32 bits), three zero bytes, next header 112. */
    private static long ipv6PseudoHeaderSum(ByteBuffer datagram, int ip, int length) {
        long sum = InternetChecksum.add(0, datagram, ip + 8, 2 * IPV6_ADDRESS_LENGTH);
        return InternetChecksum.addInt(sum, length) + IP_PROTOCOL;
    }

    private static InetAddress ipv6At(ByteBuffer datagram, int at) {
        byte[] bytes = new byte[IPV6_ADDRESS_LENGTH];
        datagram.get(at, bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    private static VrrpDrop drop6(DropReason reason, int vrid, InetAddress source, Supplier<String> detail) {
        return new VrrpDrop(reason, vrid, source, detail);
    }

    /** {@code password} as the 8-byte authentication data: UTF-8, padded with zeros. */
    static byte[] authData(String password) {
        byte[] data = new byte[VrrpPacket.AUTH_DATA_LENGTH];
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(utf8, 0, data, 0, utf8.length);
        return data;
    }

    /** Compares all 8 bytes whatever the first difference, as keepalived does, so timing reveals nothing. */
    private static boolean authDataMatches(ByteBuffer datagram, int at, byte[] expected) {
        int difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference |= datagram.get(at + i) ^ expected[i];
        }
        return difference == 0;
    }

    private static boolean inConfiguredOrder(ByteBuffer datagram, int at, int[] configured) {
        for (int i = 0; i < configured.length; i++) {
            if (s32(datagram, at + 4 * i) != configured[i]) {
                return false;
            }
        }
        return true;
    }

    /** keepalived's check: every configured address must be in the advert. Returns the first missing index or -1. */
    private static int firstMissing(ByteBuffer datagram, int at, int[] configured) {
        for (int c = 0; c < configured.length; c++) {
            boolean found = false;
            for (int i = 0; i < configured.length && !found; i++) {
                found = s32(datagram, at + 4 * i) == configured[c];
            }
            if (!found) {
                return c;
            }
        }
        return -1;
    }

    /** The configured addresses in the advert's order; every advert address is known to be configured. */
    private static List<InetAddress> inPacketOrder(ByteBuffer datagram, int at, VrrpExpectations.Prepared expected) {
        InetAddress[] ordered = new InetAddress[expected.addressInts.length];
        for (int i = 0; i < ordered.length; i++) {
            ordered[i] = expected.addresses.get(expected.indexOf(s32(datagram, at + 4 * i)));
        }
        return List.of(ordered);
    }

    private static long pseudoHeaderSum(VrrpPacket advert, int length) {
        if (advert.source() instanceof Inet4Address source) {
            return ipv4PseudoHeaderSum(Ipv4.toInt(source), Ipv4.toInt((Inet4Address) advert.destination()), length);
        }
        long sum = InternetChecksum.add(0, advert.source().getAddress());
        sum = InternetChecksum.add(sum, advert.destination().getAddress());
        return InternetChecksum.addInt(sum, length) + IP_PROTOCOL;
    }

    /** RFC 5798 §5.2.8: source, destination, zero, protocol 112, VRRP message length. */
    private static long ipv4PseudoHeaderSum(int source, int destination, int length) {
        long sum = InternetChecksum.addInt(0, source);
        sum = InternetChecksum.addInt(sum, destination);
        return sum + IP_PROTOCOL + length;
    }

    private static VrrpDrop drop(DropReason reason, int vrid, long source, Supplier<String> detail) {
        return new VrrpDrop(reason, vrid, source, detail);
    }

    private static String describe(int[] addresses) {
        StringBuilder text = new StringBuilder();
        for (int address : addresses) {
            text.append(text.length() == 0 ? "" : ", ").append(Ipv4.format(address));
        }
        return text.length() == 0 ? "no addresses" : text.toString();
    }

    private static String hex16(int value) {
        return String.format("0x%04x", value);
    }

    private static int u8(ByteBuffer buffer, int at) {
        return buffer.get(at) & 0xff;
    }

    private static int u16(ByteBuffer buffer, int at) {
        return (buffer.get(at) & 0xff) << 8 | (buffer.get(at + 1) & 0xff);
    }

    private static int s32(ByteBuffer buffer, int at) {
        return u16(buffer, at) << 16 | u16(buffer, at + 2);
    }
}
