package io.quorumvip.agent.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Builds the rtnetlink requests the agent sends and decodes the replies it reads. Pure: bytes in, bytes out. */
final class RtNetlinkMessages {
    static final int ADD_FLAGS = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL;
    static final int RENEW_FLAGS = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE;

    private RtNetlinkMessages() {
    }

    /**
     * RTM_NEWADDR for {@code address} on interface {@code ifindex}, with preferred = valid lifetime in seconds
     * ({@link Netlink#INFINITE_LIFETIME} for forever). IPv4 prefixes shorter than /31 get the broadcast address,
     * as {@code ip addr add ... brd +} gives them.
     */
    static byte[] newAddress(int sequence, int flags, int ifindex, InterfaceAddress address, long validSeconds) {
        byte[] bytes = address.address().getAddress();
        NetlinkMessageBuilder message = addressHeader(Netlink.RTM_NEWADDR, flags, sequence, ifindex, address)
                .attribute(Netlink.IFA_LOCAL, bytes)
                .attribute(Netlink.IFA_ADDRESS, bytes);
        if (address.address() instanceof Inet4Address && address.prefixLength() < 31) {
            message.attribute(Netlink.IFA_BROADCAST, broadcast(bytes, address.prefixLength()));
        }
        address.label().ifPresent(label -> message.attributeString(Netlink.IFA_LABEL, label));
        int lifetime = (int) validSeconds;
        return message.attributeU32s(Netlink.IFA_CACHEINFO, lifetime, lifetime, 0, 0).build();
    }

    /** RTM_DELADDR: the kernel matches on the local address and the prefix, not on the label. */
    static byte[] deleteAddress(int sequence, int ifindex, InterfaceAddress address) {
        byte[] bytes = address.address().getAddress();
        return addressHeader(Netlink.RTM_DELADDR, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sequence, ifindex, address)
                .attribute(Netlink.IFA_LOCAL, bytes)
                .attribute(Netlink.IFA_ADDRESS, bytes)
                .build();
    }

    /** RTM_GETADDR dump of every address of every family; the caller filters by interface. */
    static byte[] dumpAddresses(int sequence) {
        return new NetlinkMessageBuilder(Netlink.RTM_GETADDR, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, sequence)
                .u8(0).u8(0).u8(0).u8(0).u32(0)
                .build();
    }

    /** RTM_GETLINK for one interface by name; the kernel answers with one RTM_NEWLINK and an ack, or an error. */
    static byte[] getLink(int sequence, String device) {
        return new NetlinkMessageBuilder(Netlink.RTM_GETLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sequence)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0)
                .attributeString(Netlink.IFLA_IFNAME, device)
                .build();
    }

    /**
     * RTM_NEWNEIGH with NTF_USE and no state, as {@code ip neigh replace ADDR dev DEV use} sends: the kernel creates
     * the entry if it is missing and starts resolving it (one ARP request or neighbour solicitation), keeping any
     * MAC it already knows; nothing is made permanent.
     */
    static byte[] resolveNeighbour(int sequence, int ifindex, InetAddress address) {
        return new NetlinkMessageBuilder(Netlink.RTM_NEWNEIGH, RENEW_FLAGS, sequence)
                .u8(address instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6).u8(0).u16(0).u32(ifindex)
                .u16(Netlink.NUD_NONE).u8(Netlink.NTF_USE).u8(0)
                .attribute(Netlink.NDA_DST, address.getAddress())
                .build();
    }

    /**
     * RTM_NEWLINK creating a macvlan {@code name} in private mode on {@code baseIndex} with {@code mac}, as
     * keepalived's VMAC: {@code ip link add link BASE name NAME address MAC type macvlan mode private}.
     */
    static byte[] newMacvlan(int sequence, String name, int baseIndex, byte[] mac) {
        return linkHeader(Netlink.RTM_NEWLINK, ADD_FLAGS, sequence, 0, 0, 0)
                .begin(Netlink.IFLA_LINKINFO)
                .attributeString(Netlink.IFLA_INFO_KIND, "macvlan")
                .begin(Netlink.IFLA_INFO_DATA)
                .attributeU32(Netlink.IFLA_MACVLAN_MODE, Netlink.MACVLAN_MODE_PRIVATE)
                .end()
                .end()
                .attributeU32(Netlink.IFLA_LINK, baseIndex)
                .attributeString(Netlink.IFLA_IFNAME, name)
                .attribute(Netlink.IFLA_ADDRESS, mac)
                .build();
    }

    /** RTM_DELLINK of one interface. */
    static byte[] deleteLink(int sequence, int ifindex) {
        return linkHeader(Netlink.RTM_DELLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sequence, ifindex, 0, 0)
                .build();
    }

    /** RTM_NEWLINK setting IFF_UP, as {@code ip link set DEV up}. */
    static byte[] setUp(int sequence, int ifindex) {
        return linkHeader(Netlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sequence, ifindex,
                Netlink.IFF_UP, Netlink.IFF_UP).build();
    }

    /**
     * RTM_NEWLINK setting IPv4 per-interface settings (net.ipv4.conf.DEV.*), {@code values} as pairs of
     * IPV4_DEVCONF_* and value, the way keepalived sets arp_ignore and friends on its VMACs.
     */
    static byte[] setIpv4Conf(int sequence, int ifindex, int... values) {
        if (values.length % 2 != 0) {
            throw new IllegalArgumentException(values.length + " numbers (expected pairs of setting and value)");
        }
        NetlinkMessageBuilder message = linkHeader(Netlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK,
                sequence, ifindex, 0, 0)
                .begin(Netlink.IFLA_AF_SPEC).begin(LibC.AF_INET).begin(Netlink.IFLA_INET_CONF);
        for (int i = 0; i < values.length; i += 2) {
            message.attributeU32(values[i], values[i + 1]);
        }
        return message.end().end().end().build();
    }

    /** RTM_NEWLINK setting the IPv6 address generation mode to none: no automatic link-local address. */
    static byte[] disableIpv6LinkLocal(int sequence, int ifindex) {
        return linkHeader(Netlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sequence, ifindex, 0, 0)
                .begin(Netlink.IFLA_AF_SPEC).begin(LibC.AF_INET6)
                .attribute(Netlink.IFLA_INET6_ADDR_GEN_MODE, new byte[] {(byte) Netlink.IN6_ADDR_GEN_MODE_NONE})
                .end().end().build();
    }

    /** What a macvlan's RTM_NEWLINK says beyond {@link LinkStatus}: its kind and the interface it sits on. */
    record LinkKind(Optional<String> kind, int parentIndex) {
    }

    static LinkKind decodeLinkKind(NetlinkMessage message) throws NetlinkFormatException {
        var payload = message.payload();
        if (message.type() != Netlink.RTM_NEWLINK || payload.capacity() < Netlink.IFINFOMSG_SIZE) {
            throw new NetlinkFormatException("link message of type " + message.type() + " and "
                    + payload.capacity() + " bytes (expected RTM_NEWLINK with at least " + Netlink.IFINFOMSG_SIZE + ")");
        }
        NetlinkAttributes attributes = NetlinkAttributes.parse(payload, Netlink.IFINFOMSG_SIZE);
        Optional<NetlinkAttributes> info = attributes.nested(Netlink.IFLA_LINKINFO);
        Optional<String> kind = info.isPresent() ? info.get().string(Netlink.IFLA_INFO_KIND) : Optional.empty();
        int parent = attributes.u32(Netlink.IFLA_LINK).map(Long::intValue).orElse(0);
        return new LinkKind(kind, parent);
    }

    /** Why the kernel would refuse or misread the address's label, if it would. */
    static Optional<String> labelProblem(InterfaceAddress address) {
        if (address.label().isEmpty()) {
            return Optional.empty();
        }
        String label = address.label().get();
        if (!(address.address() instanceof Inet4Address)) {
            return Optional.of("label " + label + " on IPv6 address " + address.address().getHostAddress()
                    + " (only IPv4 addresses have labels; drop the label)");
        }
        if (!label.startsWith(address.device()) || label.length() > Netlink.MAX_NAME_LENGTH) {
            return Optional.of("label " + label + " of " + address + " (expected the device name " + address.device()
                    + " followed by at most " + Math.max(0, Netlink.MAX_NAME_LENGTH - address.device().length())
                    + " more characters, e.g. " + address.device() + ":1)");
        }
        return Optional.empty();
    }
    static KernelAddress decodeAddress(NetlinkMessage message) throws NetlinkFormatException {
        var payload = message.payload();
        if (message.type() != Netlink.RTM_NEWADDR || payload.capacity() < Netlink.IFADDRMSG_SIZE) {
            throw new NetlinkFormatException("address message of type " + message.type() + " and "
                    + payload.capacity() + " bytes (expected RTM_NEWADDR with at least " + Netlink.IFADDRMSG_SIZE + ")");
        }
        int prefixLength = Byte.toUnsignedInt(payload.get(1));
        int headerFlags = Byte.toUnsignedInt(payload.get(2));
        int ifindex = payload.getInt(4);
        NetlinkAttributes attributes = NetlinkAttributes.parse(payload, Netlink.IFADDRMSG_SIZE);
        byte[] raw = attributes.bytes(Netlink.IFA_LOCAL).or(() -> attributes.bytes(Netlink.IFA_ADDRESS))
                .orElseThrow(() -> new NetlinkFormatException("address message for ifindex " + ifindex
                        + " without IFA_LOCAL or IFA_ADDRESS"));
        InetAddress address;
        try {
            address = InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new NetlinkFormatException("address of " + raw.length + " bytes for ifindex " + ifindex
                    + " (expected 4 or 16)");
        }
        // IFA_FLAGS, when present, carries all the flags; the u8 in the header only the low ones.
        int flags = attributes.u32(Netlink.IFA_FLAGS).map(Long::intValue).orElse(headerFlags);
        long valid = attributes.u32At(Netlink.IFA_CACHEINFO, 1).orElse(Netlink.INFINITE_LIFETIME);
        return new KernelAddress(ifindex, address, prefixLength, flags, attributes.string(Netlink.IFA_LABEL), valid);
    }

    static LinkStatus decodeLink(NetlinkMessage message) throws NetlinkFormatException {
        if (message.type() != Netlink.RTM_NEWLINK) {
            throw new NetlinkFormatException("link message of type " + message.type() + " (expected RTM_NEWLINK "
                    + Netlink.RTM_NEWLINK + ")");
        }
        return linkStatus(message);
    }

    /**
     * A link notification, or empty for what says nothing about an interface's own state: other message types, and
     * the bridge's per-port messages (family AF_BRIDGE), whose RTM_DELLINK means a port left its bridge, not that the
     * interface is gone.
     */
    static Optional<LinkMessage> decodeLinkNotification(NetlinkMessage message) throws NetlinkFormatException {
        boolean added = message.type() == Netlink.RTM_NEWLINK;
        if (!added && message.type() != Netlink.RTM_DELLINK) {
            return Optional.empty();
        }
        if (message.payload().capacity() >= 1 && message.payload().get(0) != LibC.AF_UNSPEC) {
            return Optional.empty();
        }
        LinkStatus status = linkStatus(message);
        return Optional.of(added ? new LinkMessage.Changed(status) : new LinkMessage.Removed(status));
    }

    private static LinkStatus linkStatus(NetlinkMessage message) throws NetlinkFormatException {
        var payload = message.payload();
        if (payload.capacity() < Netlink.IFINFOMSG_SIZE) {
            throw new NetlinkFormatException("link message of type " + message.type() + " and "
                    + payload.capacity() + " bytes (expected at least " + Netlink.IFINFOMSG_SIZE + ")");
        }
        int index = payload.getInt(4);
        int flags = payload.getInt(8);
        NetlinkAttributes attributes = NetlinkAttributes.parse(payload, Netlink.IFINFOMSG_SIZE);
        String name = attributes.string(Netlink.IFLA_IFNAME)
                .orElseThrow(() -> new NetlinkFormatException("link message for ifindex " + index + " without IFLA_IFNAME"));
        OperState operState = OperState.valueOf(attributes.u8(Netlink.IFLA_OPERSTATE).orElse(0));
        MacAddress mac = new MacAddress(attributes.bytes(Netlink.IFLA_ADDRESS).orElse(new byte[0]));
        return new LinkStatus(name, index, (flags & Netlink.IFF_UP) != 0, (flags & Netlink.IFF_LOWER_UP) != 0,
                operState, mac);
    }

    /** linux/if_addr.h: add an IPv6 address without duplicate address detection. */
    static final int IFA_F_NODAD = 0x02;

    static byte[] broadcast(byte[] address, int prefixLength) {
        int value = ((address[0] & 0xFF) << 24) | ((address[1] & 0xFF) << 16) | ((address[2] & 0xFF) << 8) | (address[3] & 0xFF);
        int hostMask = prefixLength == 0 ? -1 : (1 << (32 - prefixLength)) - 1;
        int result = value | hostMask;
        return new byte[] {(byte) (result >>> 24), (byte) (result >>> 16), (byte) (result >>> 8), (byte) result};
    }

    /** struct ifinfomsg: family AF_UNSPEC, type, index, flags, change mask. */
    private static NetlinkMessageBuilder linkHeader(int type, int flags, int sequence, int ifindex, int ifFlags,
                                                    int change) {
        return new NetlinkMessageBuilder(type, flags, sequence).u8(0).u8(0).u16(0).u32(ifindex).u32(ifFlags)
                .u32(change);
    }

    private static NetlinkMessageBuilder addressHeader(int type, int flags, int sequence, int ifindex,
                                                       InterfaceAddress address) {
        boolean ipv4 = address.address() instanceof Inet4Address;
        // An IPv6 VIP is added without duplicate address detection (IFA_F_NODAD), as keepalived does: it moves
        // between nodes on purpose, and DAD would keep it tentative (unusable) for a second after each move.
        return new NetlinkMessageBuilder(type, flags, sequence)
                .u8(ipv4 ? LibC.AF_INET : LibC.AF_INET6).u8(address.prefixLength()).u8(ipv4 ? 0 : IFA_F_NODAD)
                .u8(Netlink.RT_SCOPE_UNIVERSE).u32(ifindex);
    }

}
