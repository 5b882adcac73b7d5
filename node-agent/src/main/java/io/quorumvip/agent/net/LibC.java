package io.quorumvip.agent.net;

import java.nio.ByteBuffer;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The libc calls the native edges make, through jnr-ffi. Structs are passed as direct {@link ByteBuffer}s in
 * {@link java.nio.ByteOrder#nativeOrder() native order}; jnr-ffi passes a direct buffer's address from its position.
 *
 * <p>The calls the TCP probe loop makes per probe take a {@code long} where the struct or the bytes go: a direct
 * buffer's native address ({@link Structs#address}), taken once per buffer. Passed a buffer, jnr-ffi looks its
 * address up on every call: a fifth of the probe thread's own samples at 10,000 probes a second (issue 12).
 *
 * <p>Every constant was checked against the Linux and glibc headers in /usr/include (x86_64, Debian 12) with a C
 * program that printed them; the same values hold on aarch64, which shares the generic socket and errno headers.
 */
public interface LibC {

    LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

    // sys/socket.h, bits/socket_type.h
    int AF_UNSPEC = 0;
    int AF_INET = 2;
    int AF_INET6 = 10;
    int AF_NETLINK = 16;
    int AF_PACKET = 17;
    int SOCK_STREAM = 1;
    int SOCK_RAW = 3;
    int SOCK_NONBLOCK = 0x800;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_ERROR = 4;
    int SO_LINGER = 13;
    int SO_MARK = 36;
    int SO_BINDTODEVICE = 25;
    int MSG_TRUNC = 0x20;
    int MSG_DONTWAIT = 0x40;

    // netinet/in.h, linux/in.h
    int IPPROTO_IP = 0;
    int IPPROTO_VRRP = 112;
    int IP_TOS = 1;
    int IP_TTL = 2;
    int IP_MULTICAST_IF = 32;
    int IP_MULTICAST_TTL = 33;
    int IP_MULTICAST_LOOP = 34;
    int IP_ADD_MEMBERSHIP = 35;

    // netinet/in.h, linux/tcp.h
    int IPPROTO_TCP = 6;
    int TCP_QUICKACK = 12;

    // linux/in6.h (IPv6 socket options, level IPPROTO_IPV6)
    int IPPROTO_IPV6 = 41;
    int IPV6_UNICAST_HOPS = 16;
    int IPV6_MULTICAST_IF = 17;
    int IPV6_MULTICAST_HOPS = 18;
    int IPV6_MULTICAST_LOOP = 19;
    int IPV6_JOIN_GROUP = 20;
    int IPV6_RECVPKTINFO = 49;
    int IPV6_PKTINFO = 50;
    int IPV6_RECVHOPLIMIT = 51;
    int IPV6_HOPLIMIT = 52;
    int IPV6_TCLASS = 67;

    // linux/netlink.h
    int NETLINK_ROUTE = 0;
    int NETLINK_NETFILTER = 12;
    int SOL_NETLINK = 270;
    int NETLINK_CAP_ACK = 10;
    int NETLINK_EXT_ACK = 11;

    // linux/if_ether.h
    int ETH_P_ARP = 0x0806;

    // poll.h, sys/eventfd.h
    short POLLIN = 0x1;
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    // sys/epoll.h
    int EPOLL_CLOEXEC = 0x80000;
    int EPOLL_CTL_ADD = 1;
    int EPOLLIN = 0x1;
    int EPOLLOUT = 0x4;
    int EPOLLERR = 0x8;
    int EPOLLHUP = 0x10;
    int EPOLLONESHOT = 1 << 30;
    int EPOLLET = 1 << 31;

    // asm-generic/errno-base.h, asm-generic/errno.h
    int EINTR = 4;
    int ENFILE = 23;
    int EMFILE = 24;
    int EINPROGRESS = 115;
    int ENODEV = 19;
    int EAGAIN = 11;
    int EEXIST = 17;
    int EADDRNOTAVAIL = 99;
    int ENOBUFS = 105;

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In ByteBuffer address, int addressLength);

    @SaveError
    int connect(int fd, long address, int addressLength);

    /** {@code valueLength} is a socklen_t in and out: the room in {@code value}, then what the kernel wrote. */
    @SaveError
    int getsockopt(int fd, int level, int option, @Out ByteBuffer value, @In @Out ByteBuffer valueLength);

    @SaveError
    int setsockopt(int fd, int level, int option, @In ByteBuffer value, int valueLength);

    @SaveError
    int setsockopt(int fd, int level, int option, long value, int valueLength);

    @SaveError
    long sendto(int fd, @In ByteBuffer data, long length, int flags, @In ByteBuffer address, int addressLength);

    @SaveError
    long recv(int fd, @Out ByteBuffer into, long length, int flags);

    /**
     * {@code message} is a struct msghdr whose pointers (name, iovec, control) hold the addresses of other direct
     * buffers, see {@link Structs#address}.
     */
    @SaveError
    long recvmsg(int fd, @In @Out ByteBuffer message, int flags);

    /** {@code fds} holds {@code count} struct pollfd (int fd, short events, short revents: 8 bytes each). */
    @SaveError
    int poll(@In @Out ByteBuffer fds, long count, int timeoutMillis);

    @SaveError
    int eventfd(int initialValue, int flags);

    @SaveError
    int epoll_create1(int flags);

    /** {@code event} is one struct epoll_event, laid out as {@link Structs#EPOLL_EVENT_SIZE} says. */
    @SaveError
    int epoll_ctl(int epollFd, int operation, int fd, long event);

    /** {@code events} has room for {@code maxEvents} struct epoll_event. */
    @SaveError
    int epoll_wait(int epollFd, long events, int maxEvents, int timeoutMillis);

    @SaveError
    long read(int fd, long into, long length);

    @SaveError
    long write(int fd, @In ByteBuffer data, long length);

    @SaveError
    int close(int fd);

    /** @return the index, or 0 with errno set (ENODEV) when there is no such device */
    @SaveError
    int if_nametoindex(String name);

    String strerror(int errno);

    /**
     * glibc's malloc_trim(3): gives the freed pages of every arena back to the system. @return 1 if any was given
     * back
     */
    int malloc_trim(long pad);

    /** The errno the calling thread's last call above left behind. */
    static int errno() {
        return LastError.getLastError(Runtime.getRuntime(INSTANCE));
    }

    /** The text of the calling thread's last errno, as strerror(3) gives it. */
    static String lastErrorText() {
        int errno = errno();
        return INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }
}
