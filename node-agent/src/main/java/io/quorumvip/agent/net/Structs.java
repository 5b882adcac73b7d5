package io.quorumvip.agent.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The C structs the socket calls take, laid out as on Linux x86_64 and aarch64 (linux/in.h, linux/if_packet.h,
 * linux/netlink.h). Fields in network order are marked; the rest are in native order.
 */
final class Structs {
    static final int SOCKADDR_IN_SIZE = 16;
    static final int IP_MREQN_SIZE = 12;
    static final int SOCKADDR_LL_SIZE = 20;
    static final int SOCKADDR_NL_SIZE = 12;
    static final int SOCKADDR_IN6_SIZE = 28;
    static final int IPV6_MREQ_SIZE = 20;
    /** struct msghdr on LP64: name, namelen (+4 padding), iov, iovlen, control, controllen, flags (+4). */
    static final int MSGHDR_SIZE = 56;
    static final int IOVEC_SIZE = 16;
    /**
     * struct epoll_event: a uint32 of events, then the uint64 of data. x86_64's header packs it (12 bytes, data at
     * 4); elsewhere, aarch64 included, the data is aligned (16 bytes, data at 8).
     */
    static final boolean EPOLL_EVENT_PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    static final int EPOLL_EVENT_SIZE = EPOLL_EVENT_PACKED ? 12 : 16;
    static final int EPOLL_EVENT_DATA = EPOLL_EVENT_PACKED ? 4 : 8;
    /** struct linger: int l_onoff, int l_linger. */
    static final int LINGER_SIZE = 8;

    private Structs() {
    }

    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** struct sockaddr_in: family, port (network order), address (network order), 8 bytes of zero. */
    static ByteBuffer sockaddrIn(Inet4Address address) {
        ByteBuffer b = allocate(SOCKADDR_IN_SIZE);
        b.putShort(0, (short) LibC.AF_INET);
        b.put(4, address.getAddress());
        return b;
    }

    /** struct sockaddr_in6: family, port 0, flow info 0, address (network order), scope id (the interface index). */
    static ByteBuffer sockaddrIn6(Inet6Address address, int scopeId) {
        ByteBuffer b = allocate(SOCKADDR_IN6_SIZE);
        b.putShort(0, (short) LibC.AF_INET6);
        b.put(8, address.getAddress());
        b.putInt(24, scopeId);
        return b;
    }

    /** struct ipv6_mreq: group (network order), interface index. */
    static ByteBuffer ipv6Mreq(Inet6Address group, int ifindex) {
        ByteBuffer b = allocate(IPV6_MREQ_SIZE);
        b.put(0, group.getAddress());
        b.putInt(16, ifindex);
        return b;
    }

    /** A TCP or UDP endpoint: struct sockaddr_in or sockaddr_in6 (scope id 0), the port in network order. */
    static ByteBuffer sockaddr(InetSocketAddress endpoint) {
        ByteBuffer b;
        if (endpoint.getAddress() instanceof Inet6Address v6) {
            b = sockaddrIn6(v6, v6.getScopeId());
        } else {
            b = sockaddrIn((Inet4Address) endpoint.getAddress());
        }
        return b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) endpoint.getPort()).order(ByteOrder.nativeOrder());
    }

    /** The length of {@link #sockaddr}'s struct for {@code address}. */
    static int sockaddrLength(InetAddress address) {
        return address instanceof Inet6Address ? SOCKADDR_IN6_SIZE : SOCKADDR_IN_SIZE;
    }

    /** The native address of a direct buffer's first byte, for the pointers inside a struct msghdr. */
    static long address(ByteBuffer direct) {
        return jnr.ffi.Pointer.wrap(jnr.ffi.Runtime.getRuntime(LibC.INSTANCE), direct).address();
    }

    /** struct ip_mreqn: group (network order), local address (network order), interface index. */
    static ByteBuffer ipMreqn(Inet4Address group, Inet4Address local, int ifindex) {
        ByteBuffer b = allocate(IP_MREQN_SIZE);
        b.put(0, group.getAddress());
        b.put(4, local.getAddress());
        b.putInt(8, ifindex);
        return b;
    }

    /**
     * struct sockaddr_ll for sending: family, protocol (network order), ifindex, hatype 0, pkttype 0,
     * address length and the destination hardware address.
     */
    static ByteBuffer sockaddrLl(int ifindex, int protocol, byte[] hardwareAddress) {
        ByteBuffer b = allocate(SOCKADDR_LL_SIZE);
        b.putShort(0, (short) LibC.AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) protocol).order(ByteOrder.nativeOrder());
        b.putInt(4, ifindex);
        b.put(11, (byte) hardwareAddress.length);
        b.put(12, hardwareAddress);
        return b;
    }

    /** struct sockaddr_nl with port id 0 (the kernel picks one) and no multicast groups. */
    static ByteBuffer sockaddrNl() {
        return sockaddrNl(0);
    }

    /** struct sockaddr_nl with port id 0 and the multicast {@code groups} (a bit mask) to join when bound. */
    static ByteBuffer sockaddrNl(int groups) {
        ByteBuffer b = allocate(SOCKADDR_NL_SIZE);
        b.putShort(0, (short) LibC.AF_NETLINK);
        b.putInt(8, groups);
        return b;
    }

    static ByteBuffer int32(int value) {
        ByteBuffer b = allocate(4);
        b.putInt(0, value);
        return b;
    }

    /** A NUL-terminated C string, as SO_BINDTODEVICE takes the interface name. */
    static ByteBuffer cString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = allocate(bytes.length + 1);
        b.put(0, bytes);
        return b;
    }
}
