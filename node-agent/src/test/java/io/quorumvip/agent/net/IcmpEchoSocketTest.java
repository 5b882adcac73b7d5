package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IcmpEchoSocketTest {

    private static final String RS6 = "2001:db8::12";

    @Test
    void shouldEncodeAnIcmpv6EchoRequestLeavingTheChecksumToTheKernel() {
        byte[] request = IcmpEchoSocket.echoRequest(true, 0xbeef, 7, 0x0102030405060708L);

        assertThat(request).containsExactly(128, 0, 0, 0, 0xbe, 0xef, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void shouldEncodeAnIcmpEchoRequestWhoseChecksumSumsToZero() {
        byte[] request = IcmpEchoSocket.echoRequest(false, 0xbeef, 7, 42);

        assertThat(request[0]).isEqualTo((byte) 8);
        assertThat(IcmpEchoSocket.checksum(ByteBuffer.wrap(request), request.length)).isZero();
    }

    @Test
    void shouldReadTheSequenceOfAnIcmpv6EchoReplyToOurIdentifierOnly() {
        ByteBuffer reply = ByteBuffer.wrap(new byte[] {(byte) 129, 0, 0x12, 0x34, (byte) 0xbe, (byte) 0xef, 1, 2, 9, 9})
                .order(ByteOrder.BIG_ENDIAN);

        assertThat(IcmpEchoSocket.replySequence(reply, 10, true, 0xbeef)).hasValue(0x0102);
        assertThat(IcmpEchoSocket.replySequence(reply, 10, true, 0xbeee)).isEmpty();
        assertThat(IcmpEchoSocket.replySequence(reply, 7, true, 0xbeef)).as("truncated").isEmpty();
        reply.put(0, (byte) 128);
        assertThat(IcmpEchoSocket.replySequence(reply, 10, true, 0xbeef)).as("a request, not a reply").isEmpty();
    }

    @Test
    void shouldReadTheSequenceOfAnIcmpEchoReplyBehindItsIpv4Header() {
        ByteBuffer reply = ByteBuffer.allocate(28).order(ByteOrder.BIG_ENDIAN);
        reply.put(0, (byte) 0x45).put(20, (byte) 0).putShort(24, (short) 0xbeef).putShort(26, (short) 513);

        assertThat(IcmpEchoSocket.replySequence(reply, 28, false, 0xbeef)).hasValue(513);
        assertThat(IcmpEchoSocket.replySequence(reply, 28, true, 0xbeef)).as("read as ICMPv6").isEmpty();
    }

    @Test
    void shouldLetOnlyEchoRepliesThroughTheIcmpv6Filter() {
        ByteBuffer filter = IcmpEchoSocket.echoReplyFilter();

        for (int type = 0; type < 256; type++) {
            boolean blocked = (filter.getInt((type >> 5) * 4) & (1 << (type & 31))) != 0;
            assertThat(blocked).as("type %d blocked", type).isEqualTo(type != 129);
        }
    }

    /** Namespace-local: two namespaces on a veth pair, 192.0.2.11 pings 192.0.2.12 (no lab needed). */
    @Test
    void shouldHearAnIcmpEchoReplyFromARealNeighbourAndNoneFromAnAbsentOne() throws Exception {
        VethLab.assumeRootAndIp();
        try (VethLab lab = VethLab.create(); IcmpEchoSocket socket = lab.inA(IcmpEchoSocket::ipv4)) {
            CountDownLatch present = new CountDownLatch(1);
            CountDownLatch absent = new CountDownLatch(1);

            socket.send(InetAddress.getByName(VethLab.ADDRESS_B), present::countDown);
            socket.send(InetAddress.getByName("192.0.2.99"), absent::countDown);

            assertThat(present.await(3, TimeUnit.SECONDS)).as("echo reply from " + VethLab.ADDRESS_B).isTrue();
            assertThat(absent.await(1, TimeUnit.SECONDS)).as("no reply from 192.0.2.99").isFalse();
        }
    }

    /** Namespace-local: two namespaces on a veth pair, 2001:db8::11 pings 2001:db8::12 (no lab needed). */
    @Test
    void shouldHearAnIcmpv6EchoReplyFromARealNeighbourAndNoneFromAnAbsentOne() throws Exception {
        VethLab.assumeRootAndIp();
        try (VethLab lab = VethLab.create()) {
            lab.enableIpv6();
            VethLab.ip("-n", lab.nsA, "addr", "add", "2001:db8::11/64", "dev", "eth0", "nodad");
            VethLab.ip("-n", lab.nsB, "addr", "add", RS6 + "/64", "dev", "eth0", "nodad");
            try (IcmpEchoSocket socket = lab.inA(IcmpEchoSocket::ipv6)) {
                CountDownLatch present = new CountDownLatch(1);
                CountDownLatch absent = new CountDownLatch(1);

                socket.send(InetAddress.getByName(RS6), present::countDown);
                socket.send(InetAddress.getByName("2001:db8::99"), absent::countDown);

                assertThat(present.await(3, TimeUnit.SECONDS)).as("echo reply from " + RS6).isTrue();
                assertThat(absent.await(1, TimeUnit.SECONDS)).as("no reply from 2001:db8::99").isFalse();
                assertThatThrownBy(() -> socket.send(InetAddress.getByName("192.0.2.12"), () -> { }))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("192.0.2.12");
            }
        }
    }
}
