package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Everything configured on one interface that received adverts are checked against: one {@link VridExpectation}
 * per VRID. Immutable; the password bytes and addresses are prepared once here so that checking an advert neither
 * encodes nor allocates.
 */
public final class VrrpExpectations {

    private final Prepared[] byVrid = new Prepared[256];

    private VrrpExpectations(Collection<VridExpectation> expectations) {
        for (VridExpectation expectation : expectations) {
            if (byVrid[expectation.vrid()] != null) {
                throw new IllegalArgumentException("VRID " + expectation.vrid()
                        + " configured twice on one interface (expected each VRID once per interface and family)");
            }
            byVrid[expectation.vrid()] = new Prepared(expectation);
        }
    }

    /** @throws IllegalArgumentException when a VRID appears twice */
    public static VrrpExpectations of(Collection<VridExpectation> expectations) {
        return new VrrpExpectations(List.copyOf(expectations));
    }

    /** @throws IllegalArgumentException when a VRID appears twice */
    public static VrrpExpectations of(VridExpectation... expectations) {
        return of(List.of(expectations));
    }

    public Optional<VridExpectation> forVrid(int vrid) {
        Prepared prepared = prepared(vrid);
        return prepared == null ? Optional.empty() : Optional.of(prepared.expectation);
    }

    /** The prepared expectation for {@code vrid} (any int), or null when none is configured. */
    Prepared prepared(int vrid) {
        return vrid >= 0 && vrid < byVrid.length ? byVrid[vrid] : null;
    }

    /** One VRID's expectation with the forms the decoder compares against. */
    static final class Prepared {
        final VridExpectation expectation;
        final boolean ipv6;
        final List<InetAddress> addresses;
        /** IPv4 only (empty for IPv6): the addresses as ints, compared without allocating. */
        final int[] addressInts;
        final byte[] authData;
        /** IPv4 only: the unicast peers as ints; empty means any source. */
        final int[] peerInts;

        private Prepared(VridExpectation expectation) {
            this.expectation = expectation;
            this.ipv6 = expectation.ipv6();
            this.addresses = List.copyOf(expectation.addresses());
            this.addressInts = ipv6 ? new int[0] : new int[addresses.size()];
            for (int i = 0; i < addressInts.length; i++) {
                addressInts[i] = Ipv4.toInt((Inet4Address) addresses.get(i));
            }
            this.authData = VrrpCodec.authData(expectation.authPassword());
            this.peerInts = ipv6 ? new int[0]
                    : expectation.unicastPeers().stream().mapToInt(peer -> Ipv4.toInt((Inet4Address) peer)).toArray();
        }

        /** IPv6: whether an advert from {@code source} may be taken (any source without peers, else only a peer). */
        boolean acceptsSource(InetAddress source) {
            return expectation.unicastPeers().isEmpty() || expectation.unicastPeers().contains(source);
        }

        /** IPv4: whether an advert from {@code source} may be taken: any source without peers, else only a peer. */
        boolean acceptsSource(int source) {
            if (peerInts.length == 0) {
                return true;
            }
            for (int peer : peerInts) {
                if (peer == source) {
                    return true;
                }
            }
            return false;
        }

        /** Index of {@code address} in the configured list, or -1. */
        int indexOf(int address) {
            for (int i = 0; i < addressInts.length; i++) {
                if (addressInts[i] == address) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The configured VRIDs, for the detail of an {@link DropReason#UNKNOWN_VRID} drop. */
    String describeVrids() {
        StringBuilder vrids = new StringBuilder();
        for (int vrid = 1; vrid < byVrid.length; vrid++) {
            if (byVrid[vrid] != null) {
                vrids.append(vrids.length() == 0 ? "" : ", ").append(vrid);
            }
        }
        return vrids.length() == 0 ? "none configured" : "configured: " + vrids;
    }
}
