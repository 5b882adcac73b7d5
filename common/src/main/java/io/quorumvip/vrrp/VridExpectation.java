package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What this node has configured for one VRID on one interface: what a received advert must agree with
 * (RFC 3768 §7.1, RFC 5798 §7.1, and keepalived's checks). Reception here is IPv4, so the addresses are IPv4.
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
        List<Inet4Address> addresses,
        Set<Inet4Address> unicastPeers) {

    public VridExpectation {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(authPassword, "authPassword");
        addresses = List.copyOf(addresses);
        unicastPeers = Set.copyOf(unicastPeers);
        VrrpPacket.requireInstanceFields(version, vrid, advertIntervalCentis, addresses.size(), authType,
                authPassword);
        Set<Inet4Address> distinct = new HashSet<>();
        for (Inet4Address address : addresses) {
            if (!distinct.add(address)) {
                throw new IllegalArgumentException("VRID " + vrid + " address " + address.getHostAddress()
                        + " listed twice (expected each virtual_ipaddress once)");
            }
        }
    }

    /** An expectation that takes adverts from any source on the link (multicast, or no unicast_peer). */
    public VridExpectation(int vrid, VrrpVersion version, AuthType authType, String authPassword,
            int advertIntervalCentis, List<Inet4Address> addresses) {
        this(vrid, version, authType, authPassword, advertIntervalCentis, addresses, Set.of());
    }

    /** The same expectation, taking adverts only from these {@code unicast_peer} addresses (empty: any). */
    public VridExpectation withUnicastPeers(Collection<Inet4Address> peers) {
        return new VridExpectation(vrid, version, authType, authPassword, advertIntervalCentis, addresses,
                Set.copyOf(peers));
    }

    /** A version 2 expectation, {@code advert_int} in whole seconds. */
    public static VridExpectation v2(int vrid, int advertIntervalSeconds, AuthType authType, String authPassword,
            List<Inet4Address> addresses) {
        return new VridExpectation(vrid, VrrpVersion.V2, authType, authPassword, advertIntervalSeconds * 100,
                addresses);
    }

    /** A version 3 expectation over IPv4, {@code advert_int} in centiseconds. */
    public static VridExpectation v3(int vrid, int advertIntervalCentis, List<Inet4Address> addresses) {
        return new VridExpectation(vrid, VrrpVersion.V3, AuthType.NONE, "", advertIntervalCentis, addresses);
    }
}
