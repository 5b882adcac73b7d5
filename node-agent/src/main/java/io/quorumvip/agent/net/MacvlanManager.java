package io.quorumvip.agent.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * keepalived's VMAC interfaces over rtnetlink: a macvlan in private mode with the VRRP virtual MAC on an instance's
 * interface, set up as keepalived sets it up (vrrp_vmac.c, vrrp_if_config.c), without running {@code ip}.
 *
 * <p>On the macvlan: arp_ignore 1 (answer ARP only for its own addresses), accept_local 1, rp_filter 0,
 * promote_secondaries 1, and no automatic IPv6 link-local address (so a backup's macvlan, which has the same MAC as
 * the master's, never sends a frame of its own). On the base interface: arp_ignore 1 and arp_filter 1, or it would
 * answer ARP for the addresses on the macvlan with its own MAC; {@link #restoreBase} puts the old values back.
 */
public final class MacvlanManager implements AutoCloseable {

    /** What {@link #ensure} found. */
    public enum Outcome {
        /** There was no interface of that name: made. */
        CREATED,
        /** A macvlan with that MAC on that base was there (left by an earlier run): used as it is. */
        ADOPTED,
        /** A macvlan of that name had another MAC or base: deleted and made again, as keepalived does. */
        REPLACED
    }

    /** The two ARP settings of a base interface, as they were before the first macvlan changed them. */
    public record ArpSettings(int arpIgnore, int arpFilter) {
    }

    private static final Path IPV4_CONF = Path.of("/proc/sys/net/ipv4/conf");

    private final RtNetlinkSocket socket;

    private MacvlanManager(RtNetlinkSocket socket) {
        this.socket = socket;
    }

    public static MacvlanManager open() throws IOException {
        return new MacvlanManager(RtNetlinkSocket.open());
    }

    /**
     * Makes sure the macvlan {@code name} with {@code mac} sits on {@code base}, configured and up.
     *
     * @throws IOException when {@code name} is taken by an interface that is not a macvlan, or the kernel refuses
     */
    public Outcome ensure(String name, String base, MacAddress mac) throws IOException {
        int baseIndex = Interfaces.index(base);
        Optional<NetlinkMessage> existing = link(name);
        Outcome outcome = Outcome.CREATED;
        if (existing.isPresent()) {
            LinkStatus status = RtNetlinkMessages.decodeLink(existing.get());
            RtNetlinkMessages.LinkKind kind = RtNetlinkMessages.decodeLinkKind(existing.get());
            if (!kind.kind().equals(Optional.of("macvlan"))) {
                throw new IOException("interface " + name + " exists and is not a macvlan (kind "
                        + kind.kind().orElse("none") + ") — give use_vmac another name, or remove " + name);
            }
            if (status.mac().equals(mac) && kind.parentIndex() == baseIndex) {
                outcome = Outcome.ADOPTED;
            } else {
                socket.exchange("RTM_DELLINK " + name, sequence -> RtNetlinkMessages.deleteLink(sequence,
                        status.index()));
                outcome = Outcome.REPLACED;
            }
        }
        if (outcome != Outcome.ADOPTED) {
            socket.exchange("RTM_NEWLINK macvlan " + name + " on " + base + " address " + mac, sequence ->
                    RtNetlinkMessages.newMacvlan(sequence, name, baseIndex, mac.bytes()));
        }
        int index = Interfaces.index(name);
        socket.exchange("RTM_NEWLINK " + name + " addrgenmode none",
                sequence -> RtNetlinkMessages.disableIpv6LinkLocal(sequence, index));
        socket.exchange("RTM_NEWLINK " + name + " IPv4 settings", sequence -> RtNetlinkMessages.setIpv4Conf(sequence,
                index, Netlink.IPV4_DEVCONF_ARP_IGNORE, 1, Netlink.IPV4_DEVCONF_ACCEPT_LOCAL, 1,
                Netlink.IPV4_DEVCONF_RP_FILTER, 0, Netlink.IPV4_DEVCONF_PROMOTE_SECONDARIES, 1));
        socket.exchange("RTM_NEWLINK " + name + " up", sequence -> RtNetlinkMessages.setUp(sequence, index));
        return outcome;
    }

    /** Sets arp_ignore 1 and arp_filter 1 on {@code base}; returns what they were. */
    public ArpSettings prepareBase(String base) throws IOException {
        ArpSettings before = new ArpSettings(readConf(base, "arp_ignore"), readConf(base, "arp_filter"));
        setArp(base, new ArpSettings(1, 1));
        return before;
    }

    public void restoreBase(String base, ArpSettings settings) throws IOException {
        setArp(base, settings);
    }

    /**
     * Deletes the macvlan {@code name}, if there is one (never another kind of interface).
     *
     * @return true when it was there and is gone
     */
    public boolean remove(String name) throws IOException {
        Optional<NetlinkMessage> existing = link(name);
        if (existing.isEmpty()) {
            return false;
        }
        if (!RtNetlinkMessages.decodeLinkKind(existing.get()).kind().equals(Optional.of("macvlan"))) {
            throw new IOException("interface " + name + " is not a macvlan; it is left in place");
        }
        int index = RtNetlinkMessages.decodeLink(existing.get()).index();
        socket.exchange("RTM_DELLINK " + name, sequence -> RtNetlinkMessages.deleteLink(sequence, index));
        return true;
    }

    @Override
    public void close() {
        socket.close();
    }

    private void setArp(String base, ArpSettings settings) throws IOException {
        int index = Interfaces.index(base);
        socket.exchange("RTM_NEWLINK " + base + " arp_ignore " + settings.arpIgnore() + " arp_filter "
                + settings.arpFilter(), sequence -> RtNetlinkMessages.setIpv4Conf(sequence, index,
                Netlink.IPV4_DEVCONF_ARP_IGNORE, settings.arpIgnore(), Netlink.IPV4_DEVCONF_ARPFILTER,
                settings.arpFilter()));
    }

    private Optional<NetlinkMessage> link(String name) throws IOException {
        try {
            List<NetlinkMessage> reply = socket.exchange("RTM_GETLINK " + name,
                    sequence -> RtNetlinkMessages.getLink(sequence, name));
            if (reply.size() != 1) {
                throw new NetlinkFormatException("RTM_GETLINK " + name + " got " + reply.size()
                        + " messages (expected 1)");
            }
            return Optional.of(reply.get(0));
        } catch (NetlinkErrorException e) {
            if (e.errno() == LibC.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** net.ipv4.conf.DEV.KEY of the agent's network namespace (/proc/sys/net follows the reader's namespace). */
    private static int readConf(String device, String key) throws IOException {
        return Math.toIntExact(Sysctl.read(IPV4_CONF.resolve(device).resolve(key)));
    }
}
