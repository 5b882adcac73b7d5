package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What this node has configured for one VRID on one interface: what a received advert must agree with
 * (RFC 3768 §7.1, RFC 5798 §7.1, and keepalived's checks). The addresses and peers are all IPv4, or (version 3
 * only) all IPv6: an interface has one set of expectations per family.
 *
 * @param vrid                 1..255
 * @param version              the configured {@code vrrp_version}
 * @param authType             version 2: the configured {@code auth_type}; version 3: {@link AuthType#NONE}
 * @param authPassword         the configured {@code auth_pass} (at most 8 bytes of UTF-8, keepalived cuts longer
 *                             ones), or "" without {@link AuthType#SIMPLE_TEXT}
 * @param advertIntervalCentis the configured {@code advert_int} in centiseconds; version 2 adverts must carry the
 *                             same whole seconds, version 3 adverts are not checked against it (backups learn the
 *                             master's interval, RFC 5798 §6.4.2)
 * @param addresses            the configured {@code virtual_ipaddress} list; an advert must carry the same set
 * @param unicastPeers         the configured {@code unicast_peer} list: when not empty, an advert from any other
 *                             source is dropped ({@link DropReason#NOT_A_UNICAST_PEER}), as keepalived does with
 *                             {@code check_unicast_src}; empty: any source on the link
 */
public record VridExpectation(
        int vrid,
        VrrpVersion version,
        AuthType authType,
        String authPassword,
        int advertIntervalCentis,
        List<InetAddress> addresses,
        Set<InetAddress> unicastPeers) {

    public VridExpectation {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(authPassword, "authPassword");
        addresses = List.copyOf(addresses);
        unicastPeers = Set.copyOf(unicastPeers);
        VrrpPacket.requireInstanceFields(version, vrid, advertIntervalCentis, addresses.size(), authType,
                authPassword);
        boolean ipv6 = !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
        if (ipv6 && version == VrrpVersion.V2) {
            throw new IllegalArgumentException("VRID " + vrid + " has IPv6 addresses with VRRP version 2 (expected"
                    + " version 3: version 2 is IPv4 only)");
        }
        for (InetAddress address : addresses) {
            requireFamily(vrid, "address", address, ipv6);
        }
        for (InetAddress peer : unicastPeers) {
            requireFamily(vrid, "unicast_peer", peer, ipv6);
        }
        Set<InetAddress> distinct = new HashSet<>();
        for (InetAddress address : addresses) {
            if (!distinct.add(address)) {
                throw new IllegalArgumentException("VRID " + vrid + " address " + address.getHostAddress()
                        + " listed twice (expected each virtual_ipaddress once)");
            }
        }
    }

    /** An expectation that takes adverts from any source on the link (multicast, or no unicast_peer). */
    public VridExpectation(int vrid, VrrpVersion version, AuthType authType, String authPassword,
            int advertIntervalCentis, List<? extends InetAddress> addresses) {
        this(vrid, version, authType, authPassword, advertIntervalCentis, List.copyOf(addresses), Set.of());
    }

    /** The same expectation, taking adverts only from these {@code unicast_peer} addresses (empty: any). */
    public VridExpectation withUnicastPeers(Collection<? extends InetAddress> peers) {
        return new VridExpectation(vrid, version, authType, authPassword, advertIntervalCentis, addresses,
                Set.copyOf(peers));
    }

    /** A version 2 expectation, {@code advert_int} in whole seconds. */
    public static VridExpectation v2(int vrid, int advertIntervalSeconds, AuthType authType, String authPassword,
            List<Inet4Address> addresses) {
        return new VridExpectation(vrid, VrrpVersion.V2, authType, authPassword, advertIntervalSeconds * 100,
                addresses);
    }

    /** Whether this VRID runs over IPv6 (its addresses are IPv6). */
    public boolean ipv6() {
        return !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
    }

    /** A version 3 expectation over IPv4 or IPv6 (one family), {@code advert_int} in centiseconds. */
    public static VridExpectation v3(int vrid, int advertIntervalCentis, List<? extends InetAddress> addresses) {
        return new VridExpectation(vrid, VrrpVersion.V3, AuthType.NONE, "", advertIntervalCentis, addresses);
    }

    private static void requireFamily(int vrid, String what, InetAddress address, boolean ipv6) {
        if ((address instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException("VRID " + vrid + " " + what + " " + address.getHostAddress()
                    + " is " + (ipv6 ? "IPv4" : "IPv6") + " (expected " + (ipv6 ? "IPv6" : "IPv4")
                    + " like the first virtual_ipaddress: one VRID speaks one family)");
        }
    }
}
