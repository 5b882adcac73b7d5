package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * Sends one gratuitous ARP (see {@link GratuitousArp}) through an AF_PACKET socket. The socket is opened with
 * protocol 0 so that it receives nothing; the ARP ethertype goes in each sendto's sockaddr_ll. The interface index
 * and MAC are looked up on each call, so a re-created interface is picked up.
 */
public final class PacketSocketArpAnnouncer implements ArpAnnouncer {
    private static final LibC LIBC = LibC.INSTANCE;

    private final int fd;
    private final NetlinkLinkState links;
    private final ByteBuffer frame = Structs.allocate(GratuitousArp.FRAME_SIZE);
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
    public synchronized void announce(String device, Inet4Address address) throws IOException {
        if (closed) {
            throw new IOException("gratuitous ARP for " + address.getHostAddress() + " on " + device + ": announcer is closed");
        }
        LinkStatus link = links.status(device);
        frame.put(0, GratuitousArp.frame(link.mac(), address));
        ByteBuffer destination = Structs.sockaddrLl(link.index(), LibC.ETH_P_ARP, GratuitousArp.BROADCAST);
        long sent = LIBC.sendto(fd, frame, GratuitousArp.FRAME_SIZE, 0, destination, Structs.SOCKADDR_LL_SIZE);
        if (sent != GratuitousArp.FRAME_SIZE) {
            throw new IOException("sendto(gratuitous ARP for " + address.getHostAddress() + ") on " + device
                    + " failed: " + LibC.lastErrorText() + " — is " + device + " up (ip link show " + device + ")?");
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
