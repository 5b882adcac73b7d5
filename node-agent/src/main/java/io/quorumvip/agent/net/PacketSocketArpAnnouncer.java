package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Sends one gratuitous ARP (see {@link GratuitousArp}) or, for an IPv6 address, one unsolicited Neighbour
 * Advertisement (see {@link UnsolicitedNeighbourAdvert}) through an AF_PACKET socket. The socket is opened with
 * protocol 0 so that it receives nothing; the ethertype (ARP or IPv6) goes in each sendto's sockaddr_ll. The interface index
 * and MAC are looked up on each call, so a re-created interface is picked up.
 */
public final class PacketSocketArpAnnouncer implements ArpAnnouncer {
    private static final LibC LIBC = LibC.INSTANCE;

    private final int fd;
    private final NetlinkLinkState links;
    private final ByteBuffer frame = Structs.allocate(UnsolicitedNeighbourAdvert.FRAME_SIZE);
    private boolean closed;

    private PacketSocketArpAnnouncer(int fd, NetlinkLinkState links) {
        this.fd = fd;
        this.links = links;
    }

    public static PacketSocketArpAnnouncer open() throws IOException {
        NetlinkLinkState links = NetlinkLinkState.open();
        int fd = LIBC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            String error = LibC.lastErrorText();
            links.close();
            throw new IOException("socket(AF_PACKET, SOCK_RAW) failed: " + error + " — the agent needs CAP_NET_RAW");
        }
        return new PacketSocketArpAnnouncer(fd, links);
    }

    @Override
    public synchronized void announce(String device, InetAddress address) throws IOException {
        String what = (address instanceof Inet6Address ? "neighbour advertisement for " : "gratuitous ARP for ")
                + address.getHostAddress();
        if (closed) {
            throw new IOException(what + " on " + device + ": announcer is closed");
        }
        LinkStatus link = links.status(device);
        ByteBuffer destination;
        int size;
        if (address instanceof Inet6Address ipv6) {
            size = UnsolicitedNeighbourAdvert.FRAME_SIZE;
            frame.put(0, UnsolicitedNeighbourAdvert.frame(link.mac(), ipv6));
            destination = Structs.sockaddrLl(link.index(), UnsolicitedNeighbourAdvert.ETH_P_IPV6,
                    UnsolicitedNeighbourAdvert.ALL_NODES_MAC);
        } else {
            size = GratuitousArp.FRAME_SIZE;
            frame.put(0, GratuitousArp.frame(link.mac(), (Inet4Address) address));
            destination = Structs.sockaddrLl(link.index(), LibC.ETH_P_ARP, GratuitousArp.BROADCAST);
        }
        long sent = LIBC.sendto(fd, frame, size, 0, destination, Structs.SOCKADDR_LL_SIZE);
        if (sent != size) {
            throw new IOException("sendto(" + what + ") on " + device + " failed: " + LibC.lastErrorText()
                    + " — is " + device + " up (ip link show " + device + ")?");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LIBC.close(fd);
            links.close();
        }
    }
}
