package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP advertisement (RFC 3768 §5.1 for version 2, RFC 5798 §5.1 for version 3) with the IP facts of the
 * datagram that carries it. A decoded packet comes from {@link VrrpCodec#decode} and has passed every check; an
 * outbound one is built with {@link #v2Advert} or {@link #v3Advert} and written with {@link VrrpCodec#encode}.
 *
 * @param version              the VRRP version
 * @param vrid                 the Virtual Rtr ID, 1..255
 * @param priority             0..255; 0 means the master is stepping down, 255 the address owner (RFC 5798 §5.2.4)
 * @param advertIntervalCentis the advertisement interval in centiseconds: version 2 sends whole seconds (Adver Int,
 *                             RFC 3768 §5.3.7), so 100..25500 in steps of 100; version 3 sends the 12-bit Max Adver
 *                             Int (RFC 5798 §5.2.7), 1..4095 (0 is refused: it would make backups take over at once)
 * @param addresses            the IPvX Address(es) field (RFC 5798 §5.2.9), at most 255, in packet order; version 2
 *                             carries IPv4 only, version 3 the family of its source
 * @param authType             the version 2 Auth Type (RFC 2338 §5.3.6); {@link AuthType#NONE} for version 3;
 *                             {@link AuthType#IP_AH} is not supported
 * @param authPassword         the version 2 simple-text password (keepalived {@code auth_pass}): at most 8 bytes of
 *                             UTF-8 without NUL, sent padded with zeros; empty unless {@code authType} is
 *                             {@link AuthType#SIMPLE_TEXT}
 * @param source               the IP source address, the sender's primary address (RFC 5798 §5.1.1.1), which breaks
 *                             priority ties
 * @param destination          the IP destination address, normally 224.0.0.18 or ff02::12
 * @param ttl                  the IPv4 TTL or IPv6 hop limit, 0..255; a received advert always has 255
 */
public record VrrpPacket(
        VrrpVersion version,
        int vrid,
        int priority,
        int advertIntervalCentis,
        List<InetAddress> addresses,
        AuthType authType,
        String authPassword,
        InetAddress source,
        InetAddress destination,
        int ttl) implements VrrpDecodeResult {

    /** keepalived pads {@code auth_pass} with zeros to this many bytes and cuts longer ones to it. */
    public static final int AUTH_DATA_LENGTH = 8;

    /** The TTL (hop limit) every VRRP advert is sent with and must arrive with (RFC 5798 §5.1.1.3). */
    public static final int REQUIRED_TTL = 255;

    private static final Inet6Address VRRP_GROUP_IPV6 = ipv6Group();

    public VrrpPacket {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(authPassword, "authPassword");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        addresses = List.copyOf(addresses);
        requireInstanceFields(version, vrid, advertIntervalCentis, addresses.size(), authType, authPassword);
        requireRange("priority", priority, 0, 255);
        requireRange("TTL", ttl, 0, 255);
        if (version == VrrpVersion.V2 && !(source instanceof Inet4Address)) {
            throw new IllegalArgumentException("VRRP version 2 source got " + source.getHostAddress()
                    + " (expected an IPv4 address: version 2 is IPv4 only; use version 3 for IPv6)");
        }
        requireSameFamily("destination", destination, source);
        for (InetAddress address : addresses) {
            requireSameFamily("address", address, source);
        }
    }

    /**
     * A version 2 advert as keepalived sends it by default: to 224.0.0.18 with TTL 255.
     *
     * @param advertIntervalSeconds 1..255
     * @param authPassword          the {@code auth_pass} for {@link AuthType#SIMPLE_TEXT}, otherwise ""
     */
    public static VrrpPacket v2Advert(int vrid, int priority, int advertIntervalSeconds, List<Inet4Address> addresses,
            AuthType authType, String authPassword, Inet4Address source) {
        requireRange("VRRP version 2 advert interval (s)", advertIntervalSeconds, 1, 255);
        return new VrrpPacket(VrrpVersion.V2, vrid, priority, advertIntervalSeconds * 100, List.copyOf(addresses),
                authType, authPassword, source, Ipv4.VRRP_GROUP_ADDRESS, REQUIRED_TTL);
    }

    /**
     * A version 3 advert to 224.0.0.18 (IPv4 source) or ff02::12 (IPv6 source) with TTL/hop limit 255.
     *
     * @param advertIntervalCentis 1..4095
     */
    public static VrrpPacket v3Advert(int vrid, int priority, int advertIntervalCentis,
            List<? extends InetAddress> addresses, InetAddress source) {
        InetAddress group = source instanceof Inet6Address ? VRRP_GROUP_IPV6 : Ipv4.VRRP_GROUP_ADDRESS;
        return new VrrpPacket(VrrpVersion.V3, vrid, priority, advertIntervalCentis, List.copyOf(addresses),
                AuthType.NONE, "", source, group, REQUIRED_TTL);
    }

    /** The same advert with another priority: the agent sends priority 0 when it steps down. */
    public VrrpPacket withPriority(int newPriority) {
        return new VrrpPacket(version, vrid, newPriority, advertIntervalCentis, addresses, authType, authPassword,
                source, destination, ttl);
    }

    /** The same advert to another destination: a unicast peer, whose address version 3's checksum covers. */
    public VrrpPacket withDestination(InetAddress newDestination) {
        return new VrrpPacket(version, vrid, priority, advertIntervalCentis, addresses, authType, authPassword,
                source, newDestination, ttl);
    }

    /** The checks shared with {@link VridExpectation}: what one VRID's configuration must satisfy to be sent. */
    static void requireInstanceFields(VrrpVersion version, int vrid, int advertIntervalCentis, int addressCount,
            AuthType authType, String authPassword) {
        requireRange("VRID", vrid, 1, 255);
        requireAdvertInterval(version, advertIntervalCentis);
        if (addressCount > 255) {
            throw new IllegalArgumentException("VRRP address count got " + addressCount
                    + " (expected at most 255: the Count IPvX Addr field is one byte)");
        }
        requireAuthentication(version, authType, authPassword);
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " got " + value + " (expected " + min + ".." + max + ")");
        }
    }

    private static void requireAdvertInterval(VrrpVersion version, int centis) {
        if (version == VrrpVersion.V2) {
            if (centis < 100 || centis > 25500 || centis % 100 != 0) {
                throw new IllegalArgumentException("VRRP version 2 advert interval got " + centis
                        + " cs (expected whole seconds 1..255 s, i.e. 100..25500 cs in steps of 100)");
            }
        } else {
            requireRange("VRRP version 3 advert interval (cs)", centis, 1, 4095);
        }
    }

    private static void requireSameFamily(String what, InetAddress address, InetAddress source) {
        Objects.requireNonNull(address, what);
        if (address.getClass() != source.getClass()) {
            throw new IllegalArgumentException("VRRP " + what + " got " + address.getHostAddress()
                    + " (expected the address family of the source " + source.getHostAddress() + ")");
        }
    }

    private static void requireAuthentication(VrrpVersion version, AuthType authType, String password) {
        if (authType == AuthType.IP_AH) {
            throw new IllegalArgumentException(
                    "VRRP auth type got IP_AH (expected NONE or SIMPLE_TEXT: AH authentication is not supported)");
        }
        if (version == VrrpVersion.V3 && authType != AuthType.NONE) {
            throw new IllegalArgumentException("VRRP version 3 auth type got " + authType
                    + " (expected NONE: version 3 has no authentication, RFC 5798 §9)");
        }
        if (authType == AuthType.NONE && !password.isEmpty()) {
            throw new IllegalArgumentException(
                    "VRRP password given with auth type NONE (expected an empty password or auth type SIMPLE_TEXT)");
        }
        requirePassword(password);
    }

    /**
     * Checks what keepalived can send as {@code auth_pass}: at most 8 bytes of UTF-8, no NUL (zeros are the padding).
     * Counts the UTF-8 length by hand so that decoding, which builds packets, does not allocate for it.
     */
    private static void requirePassword(String password) {
        int bytes = 0;
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("VRRP password contains a NUL character at index " + i
                        + " (expected none: NUL bytes are the padding of the 8-byte field)");
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        if (bytes > AUTH_DATA_LENGTH) {
            throw new IllegalArgumentException("VRRP password length got " + bytes
                    + " bytes of UTF-8 (expected at most 8: keepalived cuts auth_pass to 8 bytes, cut it likewise)");
        }
    }

    private static Inet6Address ipv6Group() {
        byte[] ff02_12 = new byte[16];
        ff02_12[0] = (byte) 0xff;
        ff02_12[1] = 0x02;
        ff02_12[15] = 0x12;
        try {
            return (Inet6Address) InetAddress.getByAddress(ff02_12);
        } catch (UnknownHostException impossible) {
            // getByAddress only throws for a length other than 4 or 16.
            throw new IllegalStateException(impossible);
        }
    }
}
