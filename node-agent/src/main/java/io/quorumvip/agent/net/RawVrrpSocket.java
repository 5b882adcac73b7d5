package io.quorumvip.agent.net;

import static io.quorumvip.agent.net.PolledSocket.check;

import java.io.IOException;
import java.net.Inet4Address;
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
 * VRRP over a raw IPv4 socket for protocol 112, held to one interface with SO_BINDTODEVICE.
 *
 * <p>Multicast mode (no unicast peers): the socket is bound to 224.0.0.18, so it receives only adverts sent to the
 * group; it joins the group on the interface (IP_ADD_MEMBERSHIP with ip_mreqn), and IP_MULTICAST_IF names the
 * interface and the source address, which the kernel then puts in every advert. Binding to the source address
 * instead would make the kernel deliver only datagrams addressed to that unicast address, never the group's.
 * Outbound TTL 255 (IP_MULTICAST_TTL), no loop-back to this host (IP_MULTICAST_LOOP 0). In both modes adverts
 * carry DSCP CS6 (IP_TOS 0xc0), as keepalived's do.
 *
 * <p>Unicast mode: the socket is bound to the source address, so it receives adverts addressed to it, and sends to
 * each peer with IP_TTL 255.
 *
 * <p>{@link #receive} waits in poll(2) on the socket and on an eventfd that {@link #close} signals, so a receiving
 * thread returns at once when another thread closes the socket. The file descriptors are closed only after every
 * call in progress has left, so a descriptor number is never used after the kernel could hand it out again.
 * Send and receive may run in parallel (one thread each); receive reuses one buffer and allocates nothing.
 */
public final class RawVrrpSocket implements VrrpTransport {
    public static final Inet4Address VRRP_GROUP = ipv4(224, 0, 0, 18);
    /** Largest IPv4 datagram: a buffer this big never truncates. */
    private static final int MAX_DATAGRAM = 65535;
    private static final int MAX_MESSAGE = 1480;
    private static final int TTL = 255;
    /** DSCP CS6, internetwork control: keepalived marks its adverts so, and QoS policies queue them ahead of data. */
    private static final int TOS_CS6 = 0xc0;

    private static final LibC LIBC = LibC.INSTANCE;

    private final String device;
    private final Inet4Address source;
    private final List<Inet4Address> destinations;
    /** A struct sockaddr_in per destination, made once so that sending allocates no native memory. */
    private final Map<Inet4Address, ByteBuffer> destinationAddresses = new HashMap<>();
    private final PolledSocket socket;
    private final ByteBuffer receiveBuffer = Structs.allocate(MAX_DATAGRAM);
    private final ByteBuffer sendBuffer = Structs.allocate(MAX_MESSAGE);

    private RawVrrpSocket(String device, Inet4Address source, List<Inet4Address> unicastPeers, PolledSocket socket) {
        this.device = device;
        this.source = source;
        this.destinations = unicastPeers.isEmpty() ? List.of(VRRP_GROUP) : unicastPeers;
        for (Inet4Address destination : destinations) {
            destinationAddresses.put(destination, Structs.sockaddrIn(destination));
        }
        this.socket = socket;
    }

    /**
     * Opens the socket on {@code device}.
     *
     * @param source       mcast_src_ip / unicast_src_ip; when empty, the device's primary IPv4 address
     * @param unicastPeers unicast_peer; empty means multicast to 224.0.0.18
     * @throws IOException naming the failed call, the device and the address, with the errno text and a hint
     */
    public static RawVrrpSocket open(String device, Optional<Inet4Address> source, List<Inet4Address> unicastPeers)
            throws IOException {
        return open(device, device, source, unicastPeers);
    }

    /**
     * Opens the socket on {@code device} with a source address that lives on {@code sourceDevice}: keepalived's
     * VMAC (a macvlan without an IPv4 address of its own) sends and receives adverts with the base interface's
     * address. It must receive there too: a frame from the virtual MAC (a peer's VMAC) is delivered only to the
     * local macvlan with that MAC, never to the base interface.
     */
    public static RawVrrpSocket open(String device, String sourceDevice, Optional<Inet4Address> source,
                                     List<Inet4Address> unicastPeers) throws IOException {
        List<Inet4Address> peers = List.copyOf(unicastPeers);
        for (Inet4Address peer : peers) {
            if (peer.isMulticastAddress()) {
                throw new IllegalArgumentException("unicast peer " + peer.getHostAddress() + " on " + device
                        + " is a multicast address (expected a unicast address of another node)");
            }
        }
        int ifindex = Interfaces.index(device);
        Inet4Address from = resolveSource(sourceDevice, source);
        int fd = LIBC.socket(LibC.AF_INET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.IPPROTO_VRRP);
        if (fd < 0) {
            throw new IOException("socket(AF_INET, SOCK_RAW, 112) for " + device + " failed: " + LibC.lastErrorText()
                    + " — the agent needs root or CAP_NET_RAW");
        }
        try {
            configure(fd, device, ifindex, from, peers);
        } catch (IOException | RuntimeException e) {
            LIBC.close(fd);
            throw e;
        }
        return new RawVrrpSocket(device, from, peers, PolledSocket.wrap(fd, "the VRRP socket on " + device));
    }

    @Override
    public Inet4Address source() {
        return source;
    }

    /** 224.0.0.18 in multicast mode, else the unicast peers. */
    @Override
    public List<Inet4Address> destinations() {
        return destinations;
    }

    @Override
    public void send(ByteBuffer vrrpMessage, InetAddress destination) throws IOException {
        ByteBuffer address = destinationAddresses.get(destination);
        if (address == null) {
            throw new IllegalArgumentException("VRRP destination " + destination.getHostAddress() + " on " + device
                    + " (expected one of " + names(destinations()) + ")");
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
                long sent = LIBC.sendto(fd, sendBuffer, length, 0, address, Structs.SOCKADDR_IN_SIZE);
                if (sent != length) {
                    throw new IOException("sendto(" + destination.getHostAddress() + ") from " + source.getHostAddress()
                            + " on " + device + " failed: " + LibC.lastErrorText() + " — is " + device + " up?");
                }
                return null;
            }
        });
        vrrpMessage.position(vrrpMessage.limit());
    }

    /**
     * @return the datagram's length, or 0 when the time ran out (or a signal cut the wait short)
     * @throws AsynchronousCloseException when another thread closed the socket during the wait
     * @throws ClosedChannelException     when the socket was already closed
     */
    @Override
    public int receive(ByteBuffer into, int timeoutMillis) throws IOException {
        return socket.use(fd -> {
            synchronized (receiveBuffer) {
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
        return "VRRP on " + device + " from " + source.getHostAddress() + " to " + names(destinations());
    }

    private int receiveLocked(int fd, ByteBuffer into) throws IOException {
        receiveBuffer.clear();
        long length = LIBC.recv(fd, receiveBuffer, MAX_DATAGRAM, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC);
        if (length < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                return 0;
            }
            throw new IOException("recv() on the VRRP socket on " + device + " failed: " + LibC.lastErrorText());
        }
        if (length > into.remaining()) {
            throw new IOException("datagram of " + length + " bytes on " + device + " does not fit in the "
                    + into.remaining() + " bytes left in the buffer (dropped; give receive at least the MTU)");
        }
        receiveBuffer.limit((int) length);
        into.put(receiveBuffer);
        return (int) length;
    }

    private static void configure(int fd, String device, int ifindex, Inet4Address source, List<Inet4Address> peers)
            throws IOException {
        ByteBuffer name = Structs.cString(device);
        check(LIBC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, name, name.capacity()),
                "setsockopt(SO_BINDTODEVICE, " + device + ")", "does the interface exist?");
        Inet4Address bindTo = peers.isEmpty() ? VRRP_GROUP : source;
        check(LIBC.bind(fd, Structs.sockaddrIn(bindTo), Structs.SOCKADDR_IN_SIZE),
                "bind(" + bindTo.getHostAddress() + ") on " + device, "is the address on this host?");
        if (peers.isEmpty()) {
            ByteBuffer membership = Structs.ipMreqn(VRRP_GROUP, source, ifindex);
            check(LIBC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_ADD_MEMBERSHIP, membership, Structs.IP_MREQN_SIZE),
                    "setsockopt(IP_ADD_MEMBERSHIP, 224.0.0.18) on " + device, "is the interface up and multicast-capable?");
        }
        outbound(fd, device, ifindex, source, peers);
    }

    /** What every advert sent carries: DSCP CS6, TTL 255, the interface and source address, no loop-back. */
    private static void outbound(int fd, String device, int ifindex, Inet4Address source, List<Inet4Address> peers)
            throws IOException {
        check(LIBC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_TOS, Structs.int32(TOS_CS6), 4),
                "setsockopt(IP_TOS, 0xc0) on " + device, "");
        if (peers.isEmpty()) {
            ByteBuffer outgoing = Structs.ipMreqn(VRRP_GROUP, source, ifindex);
            check(LIBC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF, outgoing, Structs.IP_MREQN_SIZE),
                    "setsockopt(IP_MULTICAST_IF, " + source.getHostAddress() + ") on " + device, "is the address on the interface?");
            check(LIBC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_TTL, Structs.int32(TTL), 4),
                    "setsockopt(IP_MULTICAST_TTL, 255) on " + device, "");
            check(LIBC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_LOOP, Structs.int32(0), 4),
                    "setsockopt(IP_MULTICAST_LOOP, 0) on " + device, "");
        } else {
            check(LIBC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_TTL, Structs.int32(TTL), 4),
                    "setsockopt(IP_TTL, 255) on " + device, "");
        }
    }

    private static Inet4Address resolveSource(String device, Optional<Inet4Address> source) throws IOException {
        try (NetlinkAddressManager addresses = NetlinkAddressManager.open()) {
            List<InterfaceAddress> onDevice = addresses.list(device).stream()
                    .filter(a -> a.address() instanceof Inet4Address)
                    .toList();
            if (source.isPresent()) {
                boolean present = onDevice.stream().anyMatch(a -> a.address().equals(source.get()));
                if (!present) {
                    throw new IOException("source address " + source.get().getHostAddress() + " is not on " + device
                            + " (it has " + onDevice + ") — add it, or fix mcast_src_ip / unicast_src_ip");
                }
                return source.get();
            }
            return addresses.primaryIpv4Address(device).orElseThrow(() -> new IOException("interface " + device
                    + " has no IPv4 address to send VRRP from — add one, or set mcast_src_ip / unicast_src_ip"));
        }
    }

    private static String names(List<Inet4Address> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
    }

    private static Inet4Address ipv4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes always make an IPv4 address", e);
        }
    }
}
