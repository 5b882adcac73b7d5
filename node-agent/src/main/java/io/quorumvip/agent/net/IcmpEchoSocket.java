package io.quorumvip.agent.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ICMP echo (ping) over one raw socket of one address family through libc, shared by every PING_CHECK of the agent
 * to real servers of that family: one socket and one receiving thread per family whatever the number of real
 * servers, never a thread or a fork per ping. Replies are matched on this socket's identifier and the request's
 * sequence number; the caller times requests out itself.
 *
 * <p>IPv4 (ICMP): the request carries our RFC 1071 checksum and a reply is read behind its IPv4 header. IPv6
 * (ICMPv6): the kernel fills in the checksum, which covers a pseudo-header with the source address it picks
 * (RFC 3542 §3.1), and delivers the message without the IPv6 header; an ICMP6_FILTER lets only echo replies through,
 * so neighbour discovery traffic does not wake the receiver.
 */
public final class IcmpEchoSocket implements Closeable {

    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_ICMPV6 = 58;
    static final int ECHO_REQUEST = 8;
    static final int ECHO_REPLY = 0;
    static final int ECHO6_REQUEST = 128;
    static final int ECHO6_REPLY = 129;
    /** linux/icmpv6.h: the option, at level IPPROTO_ICMPV6, taking a 256-bit mask of the types to block. */
    static final int ICMP6_FILTER = 1;
    static final int HEADER = 8;
    static final int PAYLOAD = 8;
    static final int POLL_MILLIS = 200;
    private static final LibC LIBC = LibC.INSTANCE;

    private final boolean ipv6;
    private final int fd;
    private final int identifier = ThreadLocalRandom.current().nextInt(1 << 16);
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<Integer, Runnable> waiting = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean closed;

    private IcmpEchoSocket(boolean ipv6) throws IOException {
        this.ipv6 = ipv6;
        String what = ipv6 ? "socket(AF_INET6, SOCK_RAW, ICMPV6)" : "socket(AF_INET, SOCK_RAW, ICMP)";
        fd = LIBC.socket(ipv6 ? LibC.AF_INET6 : LibC.AF_INET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC,
                ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
        if (fd < 0) {
            throw new IOException(what + " for PING_CHECK failed: " + LibC.lastErrorText()
                    + " — PING_CHECK needs CAP_NET_RAW (run the agent as root)");
        }
        if (ipv6) {
            ByteBuffer filter = echoReplyFilter();
            if (LIBC.setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, filter, filter.capacity()) < 0) {
                String error = LibC.lastErrorText();
                LIBC.close(fd);
                throw new IOException("setsockopt ICMP6_FILTER on the PING_CHECK socket failed: " + error);
            }
        }
        receiver = new Thread(this::receive, ipv6 ? "qvip-ping6-receiver" : "qvip-ping-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The socket for pinging IPv4 real servers. */
    public static IcmpEchoSocket ipv4() throws IOException {
        return new IcmpEchoSocket(false);
    }

    /** The socket for pinging IPv6 real servers. */
    public static IcmpEchoSocket ipv6() throws IOException {
        return new IcmpEchoSocket(true);
    }

    /**
     * Sends one echo request to {@code target}, of this socket's family; {@code onReply} runs on the receiving thread
     * when its reply comes.
     *
     * @return the sequence number, to {@link #forget} it on timeout
     */
    public int send(InetAddress target, Runnable onReply) throws IOException {
        if ((target instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException("cannot ping " + target.getHostAddress() + " on the "
                    + (ipv6 ? "IPv6" : "IPv4") + " echo socket: open the one of its family");
        }
        int seq = sequence.incrementAndGet() & 0xffff;
        waiting.put(seq, onReply);
        ByteBuffer packet = Structs.allocate(HEADER + PAYLOAD)
                .put(0, echoRequest(ipv6, identifier, seq, System.nanoTime()));
        ByteBuffer address = ipv6 ? Structs.sockaddrIn6((Inet6Address) target, 0)
                : Structs.sockaddrIn((Inet4Address) target);
        int addressLength = ipv6 ? Structs.SOCKADDR_IN6_SIZE : Structs.SOCKADDR_IN_SIZE;
        if (LIBC.sendto(fd, packet, HEADER + PAYLOAD, 0, address, addressLength) < 0) {
            waiting.remove(seq);
            throw new IOException("sendto " + target.getHostAddress() + " failed: " + LibC.lastErrorText());
        }
        return seq;
    }

    /** Stops waiting for a request's reply (it timed out). */
    public void forget(int seq) {
        waiting.remove(seq);
    }

    /**
     * An echo request: type, code 0, checksum (ours for ICMP; 0 for ICMPv6, where the kernel computes it),
     * identifier, sequence, and the send time as an 8-byte payload.
     */
    static byte[] echoRequest(boolean ipv6, int identifier, int seq, long stamp) {
        ByteBuffer packet = ByteBuffer.allocate(HEADER + PAYLOAD).order(ByteOrder.BIG_ENDIAN);
        packet.put(0, (byte) (ipv6 ? ECHO6_REQUEST : ECHO_REQUEST)).putShort(4, (short) identifier)
                .putShort(6, (short) seq).putLong(8, stamp);
        if (!ipv6) {
            packet.putShort(2, (short) checksum(packet, HEADER + PAYLOAD));
        }
        return packet.array();
    }

    /**
     * The sequence number of the echo reply in the first {@code length} bytes of {@code received} (behind its IPv4
     * header for ICMP, bare for ICMPv6), or empty when it is not an echo reply to {@code identifier}.
     */
    static OptionalInt replySequence(ByteBuffer received, int length, boolean ipv6, int identifier) {
        int start = ipv6 ? 0 : (received.get(0) & 0x0f) * 4;
        if (length < start + HEADER || (received.get(start) & 0xff) != (ipv6 ? ECHO6_REPLY : ECHO_REPLY)
                || (received.getShort(start + 4) & 0xffff) != identifier) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(received.getShort(start + 6) & 0xffff);
    }

    /** struct icmp6_filter blocking every type but echo reply (a set bit blocks its type). */
    static ByteBuffer echoReplyFilter() {
        ByteBuffer filter = Structs.allocate(32);
        for (int word = 0; word < 8; word++) {
            filter.putInt(word * 4, -1);
        }
        int word = ECHO6_REPLY >> 5;
        filter.putInt(word * 4, filter.getInt(word * 4) & ~(1 << (ECHO6_REPLY & 31)));
        return filter;
    }

    private void receive() {
        ByteBuffer pollFds = Structs.allocate(8);
        ByteBuffer buffer = Structs.allocate(1500).order(ByteOrder.BIG_ENDIAN);
        while (!closed) {
            pollFds.putInt(0, fd).putShort(4, LibC.POLLIN).putShort(6, (short) 0);
            if (LIBC.poll(pollFds, 1, POLL_MILLIS) <= 0) {
                continue;
            }
            long length = LIBC.recv(fd, buffer, 1500, LibC.MSG_DONTWAIT);
            if (length <= 0) {
                continue;
            }
            replySequence(buffer, (int) length, ipv6, identifier).ifPresent(seq -> {
                Runnable onReply = waiting.remove(seq);
                if (onReply != null) {
                    onReply.run();
                }
            });
        }
    }

    /** RFC 1071's internet checksum over the first {@code length} bytes. */
    static int checksum(ByteBuffer data, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += data.getShort(i) & 0xffff;
        }
        if (length % 2 == 1) {
            sum += (data.get(length - 1) & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Override
    public void close() {
        closed = true;
        try {
            receiver.join(POLL_MILLIS * 3L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIBC.close(fd);
    }
}
