package io.quorumvip.forensics.wire;

import io.quorumvip.vrrp.VrrpPacket;
import java.net.InetAddress;

/** What one captured frame said, as far as forensics cares: who advertised, who claimed an address. */
public sealed interface WireRecord {

    /** The frame it was decoded from. */
    CapturedFrame frame();

    /** The sender as reports group by it: an address, and for ARP and NA the MAC it claimed. */
    String sender();

    /** A VRRP advertisement (version 2 or 3), decoded by the project's codec as sent. */
    record Advert(CapturedFrame frame, VrrpPacket packet) implements WireRecord {
        @Override
        public String sender() {
            return packet.source().getHostAddress();
        }
    }

    /**
     * An ARP request or reply (RFC 826). Gratuitous when sender and target address are the same: the announcement a
     * new owner sends (RFC 5227 §3).
     */
    record Arp(CapturedFrame frame, boolean reply, InetAddress senderAddress, String senderMac,
               InetAddress targetAddress) implements WireRecord {
        public boolean gratuitous() {
            return senderAddress.equals(targetAddress);
        }

        @Override
        public String sender() {
            return senderAddress.getHostAddress() + " " + senderMac;
        }
    }

    /** An IPv6 Neighbour Advertisement (RFC 4861 §4.4): {@code target} is at {@code mac}. */
    record NeighbourAdvert(CapturedFrame frame, InetAddress target, String mac, boolean override)
            implements WireRecord {
        @Override
        public String sender() {
            return target.getHostAddress() + " " + mac;
        }
    }
}
