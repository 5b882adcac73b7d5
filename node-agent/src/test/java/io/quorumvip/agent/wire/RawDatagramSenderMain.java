package io.quorumvip.agent.wire;

import io.quorumvip.agent.net.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Sends whole IPv4 datagrams, header included, exactly as given: {@code RawDatagramSenderMain DEVICE HEX...}. The
 * wire tests run it inside a lab namespace to put crafted VRRP adverts on the link (the agent's own socket cannot send
 * a bad TTL or checksum, and no other tool here can either).
 *
 * <p>A raw socket for IPPROTO_RAW has IP_HDRINCL set by the kernel and receives nothing (raw(7)). The kernel still
 * rewrites the IPv4 total length and header checksum, so defects can only be put into the other fields and the VRRP
 * message. SO_BINDTODEVICE picks the interface: a lab namespace has no route to 224.0.0.0/4.
 *
 * <p>Exit 0 when every datagram was sent, 1 naming the call that failed, 2 for bad arguments.
 */
public final class RawDatagramSenderMain {

    private static final int IPPROTO_RAW = 255;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int IPV4_DESTINATION_OFFSET = 16;

    private RawDatagramSenderMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: RawDatagramSenderMain DEVICE HEX... (got " + args.length + " arguments)");
            System.exit(2);
        }
        LibC libc = LibC.INSTANCE;
        int fd = libc.socket(LibC.AF_INET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, IPPROTO_RAW);
        if (fd < 0) {
            fail("socket(AF_INET, SOCK_RAW, IPPROTO_RAW)", "run as root or with CAP_NET_RAW");
        }
        try {
            ByteBuffer device = direct(args[0].getBytes(StandardCharsets.US_ASCII), 1);
            if (libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, device, device.capacity()) < 0) {
                fail("setsockopt(SO_BINDTODEVICE, " + args[0] + ")", "does the interface exist in this namespace?");
            }
            for (int i = 1; i < args.length; i++) {
                send(libc, fd, args[0], HexFormat.of().parseHex(args[i]));
            }
        } finally {
            libc.close(fd);
        }
    }

    private static void send(LibC libc, int fd, String device, byte[] datagram) {
        if (datagram.length < IPV4_DESTINATION_OFFSET + 4) {
            System.err.println("datagram of " + datagram.length + " bytes (expected at least 20, an IPv4 header)");
            System.exit(2);
        }
        ByteBuffer destination = ByteBuffer.allocateDirect(SOCKADDR_IN_SIZE).order(ByteOrder.nativeOrder());
        destination.putShort(0, (short) LibC.AF_INET);
        destination.put(4, datagram, IPV4_DESTINATION_OFFSET, 4);
        long sent = libc.sendto(fd, direct(datagram, 0), datagram.length, 0, destination, SOCKADDR_IN_SIZE);
        if (sent != datagram.length) {
            fail("sendto() of a " + datagram.length + "-byte datagram on " + device, "is " + device + " up?");
        }
        System.out.println("sent " + HexFormat.of().formatHex(datagram));
    }

    /** A direct buffer holding {@code bytes} and {@code zeros} more zero bytes (1 for a C string's NUL). */
    private static ByteBuffer direct(byte[] bytes, int zeros) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + zeros);
        buffer.put(0, bytes);
        return buffer;
    }

    private static void fail(String call, String hint) {
        System.err.println(call + " failed: " + LibC.lastErrorText() + " — " + hint);
        System.exit(1);
    }
}
