package io.quorumvip.forensics.wire;

import io.quorumvip.vrrp.VrrpCodec;
import io.quorumvip.vrrp.VrrpPacket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Turns a captured Ethernet frame into a {@link WireRecord}: VRRP adverts over IPv4 or IPv6 (through
 * {@link VrrpCodec#decodeAsSeen}, so the checks are the agent's own), ARP, and IPv6 Neighbour Advertisements. One
 * 802.1Q tag is skipped. Anything else, or anything malformed, is empty: a capture is evidence, not input to trust.
 */
public final class WireDecoder {

    private static final int ETHERNET_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int IPV6_HEADER = 40;
    private static final int NEXT_HEADER_ICMPV6 = 58;
    private static final int ICMPV6_NEIGHBOUR_ADVERT = 136;
    private static final int ARP_LENGTH = 28;
    private static final int OPTION_TARGET_LINK_ADDRESS = 2;

    private WireDecoder() {
    }

    public static Optional<WireRecord> decode(CapturedFrame captured) {
        ByteBuffer frame = ByteBuffer.wrap(captured.frame());
        if (frame.limit() < ETHERNET_HEADER) {
            return Optional.empty();
        }
        int at = 12;
        int type = u16(frame, at);
        if (type == ETHERTYPE_VLAN && frame.limit() >= ETHERNET_HEADER + 4) {
            at += 4;
            type = u16(frame, at);
        }
        int payload = at + 2;
        return switch (type) {
            case ETHERTYPE_IPV4 -> ipv4(captured, frame, payload);
            case ETHERTYPE_IPV6 -> ipv6(captured, frame, payload);
            case ETHERTYPE_ARP -> arp(captured, frame, payload);
            default -> Optional.empty();
        };
    }

    private static Optional<WireRecord> ipv4(CapturedFrame captured, ByteBuffer frame, int ip) {
        if (frame.limit() - ip < 20 || u8(frame, ip + 9) != VrrpCodec.IP_PROTOCOL) {
            return Optional.empty();
        }
        // Ethernet pads short frames to 60 bytes; the datagram ends where its total length says.
        return advert(captured, frame, ip, u16(frame, ip + 2));
    }

    private static Optional<WireRecord> ipv6(CapturedFrame captured, ByteBuffer frame, int ip) {
        if (frame.limit() - ip < IPV6_HEADER) {
            return Optional.empty();
        }
        int length = IPV6_HEADER + u16(frame, ip + 4);
        int nextHeader = u8(frame, ip + 6);
        if (nextHeader == VrrpCodec.IP_PROTOCOL) {
            return advert(captured, frame, ip, length);
        }
        if (nextHeader != NEXT_HEADER_ICMPV6 || frame.limit() - ip < length || length < IPV6_HEADER + 24) {
            return Optional.empty();
        }
        int icmp = ip + IPV6_HEADER;
        if (u8(frame, icmp) != ICMPV6_NEIGHBOUR_ADVERT) {
            return Optional.empty();
        }
        boolean override = (u8(frame, icmp + 4) & 0x20) != 0;
        InetAddress target = address(frame, icmp + 8, 16);
        String mac = "";
        for (int option = icmp + 24; option + 8 <= ip + length; ) {
            int optionLength = u8(frame, option + 1) * 8;
            if (optionLength == 0) {
                break;
            }
            if (u8(frame, option) == OPTION_TARGET_LINK_ADDRESS) {
                mac = mac(frame, option + 2);
            }
            option += optionLength;
        }
        return Optional.of(new WireRecord.NeighbourAdvert(captured, target, mac, override));
    }

    private static Optional<WireRecord> advert(CapturedFrame captured, ByteBuffer frame, int ip, int length) {
        if (length > frame.limit() - ip) {
            return Optional.empty();
        }
        ByteBuffer datagram = frame.slice(ip, length);
        return VrrpCodec.decodeAsSeen(datagram) instanceof VrrpPacket packet
                ? Optional.of(new WireRecord.Advert(captured, packet))
                : Optional.empty();
    }

    /** Ethernet and IPv4 only (hardware type 1, protocol 0x0800, lengths 6 and 4): requests and replies. */
    private static Optional<WireRecord> arp(CapturedFrame captured, ByteBuffer frame, int arp) {
        if (frame.limit() - arp < ARP_LENGTH || u16(frame, arp) != 1 || u16(frame, arp + 2) != ETHERTYPE_IPV4
                || u8(frame, arp + 4) != 6 || u8(frame, arp + 5) != 4) {
            return Optional.empty();
        }
        int operation = u16(frame, arp + 6);
        if (operation != 1 && operation != 2) {
            return Optional.empty();
        }
        return Optional.of(new WireRecord.Arp(captured, operation == 2, address(frame, arp + 14, 4),
                mac(frame, arp + 8), address(frame, arp + 24, 4)));
    }

    private static InetAddress address(ByteBuffer frame, int at, int length) {
        byte[] bytes = new byte[length];
        frame.get(at, bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            // getByAddress only throws for a length other than 4 or 16.
            throw new IllegalStateException(impossible);
        }
    }

    private static String mac(ByteBuffer frame, int at) {
        StringBuilder mac = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            mac.append(i == 0 ? "" : ":").append(String.format("%02x", u8(frame, at + i)));
        }
        return mac.toString();
    }

    private static int u8(ByteBuffer buffer, int at) {
        return buffer.get(at) & 0xff;
    }

    private static int u16(ByteBuffer buffer, int at) {
        return u8(buffer, at) << 8 | u8(buffer, at + 1);
    }
}
