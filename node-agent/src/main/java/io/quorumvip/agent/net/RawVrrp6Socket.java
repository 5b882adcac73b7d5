package io.quorumvip.agent.net;

import static io.quorumvip.agent.net.PolledSocket.check;

import io.quorumvip.vrrp.VrrpCodec;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * VRRPv3 over a raw IPv6 socket for protocol 112 (RFC 5798 §5.1.2), held to one interface with SO_BINDTODEVICE.
 *
 * <p>Adverts leave from the interface's link-local address (the socket is bound to it, with the interface as scope),
 * to ff02::12 (joined with IPV6_JOIN_GROUP) or to each unicast peer, with hop limit 255 (IPV6_MULTICAST_HOPS and
 * IPV6_UNICAST_HOPS), traffic class CS6 like keepalived's, and no loop-back. A socket bound to a unicast address
 * still receives the groups it joined.
 *
 * <p>A raw IPv6 socket delivers no IP header, so {@link #receive} asks the kernel for the hop limit
 * (IPV6_RECVHOPLIMIT) and the destination (IPV6_RECVPKTINFO) with recvmsg(2), takes the source from the sender's
 * address, and writes a fixed 40-byte IPv6 header before the message: the codec then checks the hop limit and the
 * pseudo-header checksum as for a datagram off the wire. Closing from another thread works as in
 * {@link RawVrrpSocket}.
 */
public final class RawVrrp6Socket implements VrrpTransport {

    public static final Inet6Address VRRP_GROUP = ipv6("ff02::12");
    private static final int MAX_MESSAGE = 1232;
    private static final int HOP_LIMIT = 255;
    private static final int TCLASS_CS6 = 0xc0;
    /** Room for IPV6_PKTINFO (16 + 4 bytes) and IPV6_HOPLIMIT (4 bytes), each behind a 16-byte cmsghdr. */
    private static final int CONTROL_SIZE = 128;

    private static final LibC LIBC = LibC.INSTANCE;

    private final String device;
    private final Inet6Address source;
    private final List<Inet6Address> destinations;
    private final Map<Inet6Address, ByteBuffer> destinationAddresses = new HashMap<>();
    private final PolledSocket socket;
    private final ByteBuffer message = Structs.allocate(MAX_MESSAGE + 1);
    private final ByteBuffer sender = Structs.allocate(Structs.SOCKADDR_IN6_SIZE);
    private final ByteBuffer control = Structs.allocate(CONTROL_SIZE);
    private final ByteBuffer iovec = Structs.allocate(Structs.IOVEC_SIZE);
    private final ByteBuffer msghdr = Structs.allocate(Structs.MSGHDR_SIZE);
    private final ByteBuffer sendBuffer = Structs.allocate(MAX_MESSAGE);

    private RawVrrp6Socket(String device, Inet6Address source, List<Inet6Address> unicastPeers, int ifindex,
                           PolledSocket socket) {
        this.device = device;
        this.source = source;
        this.destinations = unicastPeers.isEmpty() ? List.of(VRRP_GROUP) : unicastPeers;
        for (Inet6Address destination : destinations) {
            destinationAddresses.put(destination, Structs.sockaddrIn6(destination, ifindex));
        }
        this.socket = socket;
        iovec.putLong(0, Structs.address(message)).putLong(8, message.capacity());
    }

    /**
     * Opens the socket on {@code device}.
     *
     * @param source       a link-local address of the device (mcast_src_ip / unicast_src_ip); when empty, the
     *                     device's first link-local address
     * @param unicastPeers unicast_peer; empty means multicast to ff02::12
     * @throws IOException naming the failed call, the device and the address, with the errno text and a hint
     */
    public static RawVrrp6Socket open(String device, Optional<Inet6Address> source, List<Inet6Address> unicastPeers)
            throws IOException {
        List<Inet6Address> peers = List.copyOf(unicastPeers);
        int ifindex = Interfaces.index(device);
        Inet6Address from = resolveSource(device, source);
        int fd = LIBC.socket(LibC.AF_INET6, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.IPPROTO_VRRP);
        if (fd < 0) {
            throw new IOException("socket(AF_INET6, SOCK_RAW, 112) for " + device + " failed: "
                    + LibC.lastErrorText() + " — the agent needs root or CAP_NET_RAW");
        }
        try {
            configure(fd, device, ifindex, from, peers);
        } catch (IOException | RuntimeException e) {
            LIBC.close(fd);
            throw e;
        }
        return new RawVrrp6Socket(device, from, peers, ifindex,
                PolledSocket.wrap(fd, "the IPv6 VRRP socket on " + device));
    }

    /** The link-local source of every advert (the version 3 checksum's pseudo-header needs it). */
    @Override
    public Inet6Address source() {
        return source;
    }

    /** ff02::12 in multicast mode, else the unicast peers. */
    @Override
    public List<Inet6Address> destinations() {
        return destinations;
    }

    /** Sends one VRRP message (no IP header, position to limit; the position is advanced) to {@code destination}. */
    @Override
    public void send(ByteBuffer vrrpMessage, InetAddress destination) throws IOException {
        ByteBuffer address = destinationAddresses.get(destination);
        if (address == null) {
            throw new IllegalArgumentException("VRRP destination " + destination.getHostAddress() + " on " + device
                    + " (expected one of " + names(destinations) + ")");
        }
        int length = vrrpMessage.remaining();
        if (length > MAX_MESSAGE) {
            throw new IllegalArgumentException("VRRP message of " + length + " bytes on " + device
                    + " (expected at most " + MAX_MESSAGE + ")");
        }
        socket.use(fd -> {
            synchronized (sendBuffer) {
                sendBuffer.clear();
                sendBuffer.put(vrrpMessage.duplicate()).flip();
                long sent = LIBC.sendto(fd, sendBuffer, length, 0, address, Structs.SOCKADDR_IN6_SIZE);
                if (sent != length) {
                    throw new IOException("sendto(" + destination.getHostAddress() + ") from "
                            + source.getHostAddress() + " on " + device + " failed: " + LibC.lastErrorText()
                            + " — is " + device + " up with IPv6 enabled?");
                }
                return null;
            }
        });
        vrrpMessage.position(vrrpMessage.limit());
    }

    /**
     * Waits up to {@code timeoutMillis} for one advert and writes it into {@code into} as a 40-byte IPv6 header
     * (payload length, next header 112, the hop limit, source and destination the kernel reported) and the message.
     *
     * @return the bytes written, or 0 when the time ran out (or a signal cut the wait short)
     * @throws AsynchronousCloseException when another thread closed the socket during the wait
     * @throws ClosedChannelException     when the socket was already closed
     */
    @Override
    public int receive(ByteBuffer into, int timeoutMillis) throws IOException {
        return socket.use(fd -> {
            synchronized (message) {
                return socket.awaitReadable(timeoutMillis) ? receiveLocked(fd, into) : 0;
            }
        });
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "VRRP over IPv6 on " + device + " from " + source.getHostAddress() + " to " + names(destinations);
    }

    private int receiveLocked(int fd, ByteBuffer into) throws IOException {
        msghdr.clear();
        msghdr.putLong(0, Structs.address(sender)).putInt(8, Structs.SOCKADDR_IN6_SIZE)
                .putLong(16, Structs.address(iovec)).putLong(24, 1)
                .putLong(32, Structs.address(control)).putLong(40, CONTROL_SIZE).putInt(48, 0);
        long length = LIBC.recvmsg(fd, msghdr, LibC.MSG_DONTWAIT);
        if (length < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                return 0;
            }
            throw new IOException("recvmsg() on the IPv6 VRRP socket on " + device + " failed: "
                    + LibC.lastErrorText());
        }
        if (length > MAX_MESSAGE || VrrpCodec.IPV6_HEADER_LENGTH + length > into.remaining()) {
            throw new IOException("IPv6 VRRP message of " + length + " bytes on " + device + " does not fit (at most "
                    + MAX_MESSAGE + " bytes, and the buffer has " + into.remaining() + " left; dropped)");
        }
        int hopLimit = -1;
        byte[] destination = null;
        long controlLength = msghdr.getLong(40);
        for (int at = 0; at + 16 <= controlLength; ) {
            long cmsgLength = control.getLong(at);
            int level = control.getInt(at + 8);
            int type = control.getInt(at + 12);
            if (cmsgLength < 16) {
                break;
            }
            if (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_HOPLIMIT) {
                hopLimit = control.getInt(at + 16);
            } else if (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_PKTINFO) {
                destination = new byte[16];
                control.get(at + 16, destination);
            }
            at += (int) ((cmsgLength + 7) & ~7L);
        }
        if (hopLimit < 0 || destination == null) {
            throw new IOException("recvmsg() on " + device + " gave no hop limit or destination (expected both:"
                    + " IPV6_RECVHOPLIMIT and IPV6_RECVPKTINFO are set at open)");
        }
        int start = into.position();
        into.put(start, (byte) 0x60).putShort(start + 2, (short) 0).put(start + 1, (byte) 0)
                .putShort(start + 4, (short) length).put(start + 6, (byte) LibC.IPPROTO_VRRP)
                .put(start + 7, (byte) hopLimit);
        byte[] from = new byte[16];
        sender.get(8, from);
        into.put(start + 8, from).put(start + 24, destination);
        message.clear().limit((int) length);
        into.position(start + VrrpCodec.IPV6_HEADER_LENGTH).put(message);
        return VrrpCodec.IPV6_HEADER_LENGTH + (int) length;
    }

    private static void configure(int fd, String device, int ifindex, Inet6Address source, List<Inet6Address> peers)
            throws IOException {
        ByteBuffer name = Structs.cString(device);
        check(LIBC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, name, name.capacity()),
                "setsockopt(SO_BINDTODEVICE, " + device + ")", "does the interface exist?");
        check(LIBC.bind(fd, Structs.sockaddrIn6(source, ifindex), Structs.SOCKADDR_IN6_SIZE),
                "bind(" + source.getHostAddress() + "%" + device + ")", "is the address on the interface, past DAD?");
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_TCLASS, Structs.int32(TCLASS_CS6), 4),
                "setsockopt(IPV6_TCLASS, 0xc0) on " + device, "");
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_RECVHOPLIMIT, Structs.int32(1), 4),
                "setsockopt(IPV6_RECVHOPLIMIT) on " + device, "");
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_RECVPKTINFO, Structs.int32(1), 4),
                "setsockopt(IPV6_RECVPKTINFO) on " + device, "");
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_UNICAST_HOPS, Structs.int32(HOP_LIMIT), 4),
                "setsockopt(IPV6_UNICAST_HOPS, 255) on " + device, "");
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_HOPS, Structs.int32(HOP_LIMIT), 4),
                "setsockopt(IPV6_MULTICAST_HOPS, 255) on " + device, "");
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_LOOP, Structs.int32(0), 4),
                "setsockopt(IPV6_MULTICAST_LOOP, 0) on " + device, "");
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF, Structs.int32(ifindex), 4),
                "setsockopt(IPV6_MULTICAST_IF, " + device + ")", "");
        if (peers.isEmpty()) {
            check(LIBC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_JOIN_GROUP, Structs.ipv6Mreq(VRRP_GROUP, ifindex),
                    Structs.IPV6_MREQ_SIZE), "setsockopt(IPV6_JOIN_GROUP, ff02::12) on " + device,
                    "is the interface up with IPv6 enabled?");
        }
    }

    private static Inet6Address resolveSource(String device, Optional<Inet6Address> source) throws IOException {
        try (NetlinkAddressManager addresses = NetlinkAddressManager.open()) {
            List<Inet6Address> linkLocal = addresses.list(device).stream()
                    .map(InterfaceAddress::address)
                    .filter(a -> a instanceof Inet6Address && a.isLinkLocalAddress())
                    .map(a -> (Inet6Address) a)
                    .toList();
            if (source.isPresent()) {
                if (!linkLocal.contains(withoutScope(source.get()))) {
                    throw new IOException("source address " + source.get().getHostAddress() + " is not a link-local"
                            + " address of " + device + " (it has " + names(linkLocal) + ") — RFC 5798 sends IPv6"
                            + " adverts from the link-local address; fix mcast_src_ip / unicast_src_ip");
                }
                return withoutScope(source.get());
            }
            return linkLocal.stream().findFirst().orElseThrow(() -> new IOException("interface " + device
                    + " has no IPv6 link-local address to send VRRP from — enable IPv6 on it"
                    + " (sysctl net.ipv6.conf." + device + ".disable_ipv6=0)"));
        }
    }

    private static Inet6Address withoutScope(Inet6Address address) {
        try {
            return (Inet6Address) InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes always make an IPv6 address", e);
        }
    }

    private static String names(List<Inet6Address> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
    }

    private static Inet6Address ipv6(String literal) {
        try {
            return (Inet6Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an IPv6 literal always parses", e);
        }
    }
}
