package io.quorumvip.agent.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * ICMP echo (ping) over one raw IPv4 socket through libc, shared by every PING_CHECK of the agent: one socket and
 * one receiving thread whatever the number of real servers, never a thread or a fork per ping. Replies are matched
 * on this socket's identifier and the request's sequence number; the caller times requests out itself.
 */
public final class IcmpEchoSocket implements Closeable {

    static final int IPPROTO_ICMP = 1;
    static final int ECHO_REQUEST = 8;
    static final int ECHO_REPLY = 0;
    static final int HEADER = 8;
    static final int POLL_MILLIS = 200;
    private static final LibC LIBC = LibC.INSTANCE;

    private final int fd;
    private final int identifier = ThreadLocalRandom.current().nextInt(1 << 16);
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<Integer, Consumer<Inet4Address>> waiting = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean closed;

    public IcmpEchoSocket() throws IOException {
        fd = LIBC.socket(LibC.AF_INET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, IPPROTO_ICMP);
        if (fd < 0) {
            throw new IOException("socket(AF_INET, SOCK_RAW, ICMP) for PING_CHECK failed: " + LibC.lastErrorText()
                    + " — PING_CHECK needs CAP_NET_RAW (run the agent as root)");
        }
        receiver = new Thread(this::receive, "qvip-ping-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * Sends one echo request to {@code target}; {@code onReply} runs on the receiving thread when its reply comes.
     *
     * @return the sequence number, to {@link #forget} it on timeout
     */
    public int send(Inet4Address target, Consumer<Inet4Address> onReply) throws IOException {
        int seq = sequence.incrementAndGet() & 0xffff;
        waiting.put(seq, onReply);
        ByteBuffer packet = Structs.allocate(HEADER + 8).order(java.nio.ByteOrder.BIG_ENDIAN);
        packet.put(0, (byte) ECHO_REQUEST).putShort(4, (short) identifier).putShort(6, (short) seq)
                .putLong(8, System.nanoTime());
        packet.putShort(2, (short) checksum(packet, HEADER + 8));
        if (LIBC.sendto(fd, packet, HEADER + 8, 0, Structs.sockaddrIn(target), Structs.SOCKADDR_IN_SIZE) < 0) {
            waiting.remove(seq);
            throw new IOException("sendto " + target.getHostAddress() + " failed: " + LibC.lastErrorText());
        }
        return seq;
    }

    /** Stops waiting for a request's reply (it timed out). */
    public void forget(int seq) {
        waiting.remove(seq);
    }

    private void receive() {
        ByteBuffer pollFds = Structs.allocate(8);
        ByteBuffer buffer = Structs.allocate(1500).order(java.nio.ByteOrder.BIG_ENDIAN);
        while (!closed) {
            pollFds.putInt(0, fd).putShort(4, LibC.POLLIN).putShort(6, (short) 0);
            if (LIBC.poll(pollFds, 1, POLL_MILLIS) <= 0) {
                continue;
            }
            long length = LIBC.recv(fd, buffer, 1500, LibC.MSG_DONTWAIT);
            if (length <= 0) {
                continue;
            }
            int ipHeader = (buffer.get(0) & 0x0f) * 4;
            if (length < ipHeader + HEADER || buffer.get(ipHeader) != ECHO_REPLY
                    || (buffer.getShort(ipHeader + 4) & 0xffff) != identifier) {
                continue;
            }
            Consumer<Inet4Address> onReply = waiting.remove(buffer.getShort(ipHeader + 6) & 0xffff);
            if (onReply != null) {
                byte[] source = new byte[4];
                buffer.get(12, source);
                try {
                    onReply.accept((Inet4Address) Inet4Address.getByAddress(source));
                } catch (java.net.UnknownHostException impossible) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", impossible);
                }
            }
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
