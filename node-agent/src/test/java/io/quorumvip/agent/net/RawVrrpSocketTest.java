package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real adverts between two network namespaces over a veth pair (root only). */
class RawVrrpSocketTest {
    /** A VRRPv2 advert as keepalived sends it (VRID 51, priority 150, one VIP, auth "1111"); the kernel ignores its content. */
    private static final byte[] ADVERT = HexFormat.of().parseHex("2133960101017b2ec00002c83131313100000000");
    private static final int WAIT_MILLIS = 3000;

    private static VethLab lab;

    @BeforeAll
    static void createLab() throws Exception {
        VethLab.assumeRootAndIp();
        lab = VethLab.create();
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldDeliverMulticastAdvertWithTtl255FromTheSendersPrimaryAddress() throws Exception {
        try (RawVrrpSocket sender = lab.inA(() -> RawVrrpSocket.open("eth0", Optional.empty(), List.of()));
             RawVrrpSocket receiver = lab.inB(() -> RawVrrpSocket.open("eth0", Optional.empty(), List.of()))) {
            ByteBuffer into = ByteBuffer.allocate(2048);

            sender.send(ByteBuffer.wrap(ADVERT), RawVrrpSocket.VRRP_GROUP);
            int length = receiver.receive(into, WAIT_MILLIS);

            assertThat(sender.source()).isEqualTo(ipv4(VethLab.ADDRESS_A));
            assertThat(sender.destinations()).containsExactly(RawVrrpSocket.VRRP_GROUP);
            assertThat(length).isEqualTo(20 + ADVERT.length).isEqualTo(into.position());
            assertIpHeader(into.array(), VethLab.ADDRESS_A, "224.0.0.18");
            assertThat(Arrays.copyOfRange(into.array(), 20, length)).isEqualTo(ADVERT);
        }
    }

    @Test
    void shouldNotLoopMulticastAdvertBackToTheSender() throws Exception {
        try (RawVrrpSocket sender = lab.inA(() -> RawVrrpSocket.open("eth0", Optional.empty(), List.of()));
             RawVrrpSocket receiver = lab.inB(() -> RawVrrpSocket.open("eth0", Optional.empty(), List.of()))) {
            sender.send(ByteBuffer.wrap(ADVERT), RawVrrpSocket.VRRP_GROUP);

            int seenByPeer = receiver.receive(ByteBuffer.allocate(2048), WAIT_MILLIS);
            int seenBySender = sender.receive(ByteBuffer.allocate(2048), 300);

            assertThat(seenByPeer).isPositive();
            assertThat(seenBySender).isZero();
        }
    }

    @Test
    void shouldSendToUnicastPeerFromUnicastSourceWithTtl255() throws Exception {
        Inet4Address a = ipv4(VethLab.ADDRESS_A);
        Inet4Address b = ipv4(VethLab.ADDRESS_B);
        try (RawVrrpSocket sender = lab.inA(() -> RawVrrpSocket.open("eth0", Optional.of(a), List.of(b)));
             RawVrrpSocket receiver = lab.inB(() -> RawVrrpSocket.open("eth0", Optional.of(b), List.of(a)))) {
            ByteBuffer into = ByteBuffer.allocate(2048);

            sender.send(ByteBuffer.wrap(ADVERT), b);
            int length = receiver.receive(into, WAIT_MILLIS);

            assertThat(sender.destinations()).containsExactly(b);
            assertThat(length).isEqualTo(20 + ADVERT.length);
            assertIpHeader(into.array(), VethLab.ADDRESS_A, VethLab.ADDRESS_B);
        }
    }

    @Test
    void shouldReturnZeroWhenNothingArrivesBeforeTheTimeout() throws Exception {
        try (RawVrrpSocket socket = lab.inB(() -> RawVrrpSocket.open("eth0", Optional.empty(), List.of()))) {
            ByteBuffer into = ByteBuffer.allocate(2048);

            assertThat(socket.receive(into, 200)).isZero();
            assertThat(into.position()).isZero();
        }
    }

    @Test
    void shouldUnblockReceiverWhenClosedFromAnotherThread() throws Exception {
        RawVrrpSocket socket = lab.inB(() -> RawVrrpSocket.open("eth0", Optional.empty(), List.of()));
        try {
            CompletableFuture<Integer> receiving = CompletableFuture.supplyAsync(() -> {
                try {
                    return socket.receive(ByteBuffer.allocate(2048), 600_000);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);

            socket.close();

            assertThatThrownBy(() -> receiving.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(AsynchronousCloseException.class);
            assertThatThrownBy(() -> socket.receive(ByteBuffer.allocate(2048), 10))
                    .isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> socket.send(ByteBuffer.wrap(ADVERT), RawVrrpSocket.VRRP_GROUP))
                    .isInstanceOf(ClosedChannelException.class);
        } finally {
            socket.close();
        }
    }

    @Test
    void shouldRefuseSourceAddressThatIsNotOnTheInterface() {
        Inet4Address absent = ipv4("192.0.2.99");

        assertThatThrownBy(() -> lab.inA(() -> RawVrrpSocket.open("eth0", Optional.of(absent), List.of())))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("source address 192.0.2.99 is not on eth0 (it has [192.0.2.11/24 dev eth0])")
                .hasMessageEndingWith("add it, or fix mcast_src_ip / unicast_src_ip");
    }

    @Test
    void shouldNameTheDeviceWhenItDoesNotExist() {
        assertThatThrownBy(() -> lab.inA(() -> RawVrrpSocket.open("nosuch0", Optional.empty(), List.of())))
                .isInstanceOf(IOException.class)
                .hasMessage("interface nosuch0: if_nametoindex failed: No such device (errno 19)"
                        + " — check the interface name (ip link show)");
    }

    @Test
    void shouldRefuseDestinationThatIsNotAPeer() throws Exception {
        Inet4Address b = ipv4(VethLab.ADDRESS_B);
        try (RawVrrpSocket socket = lab.inA(() -> RawVrrpSocket.open("eth0", Optional.empty(), List.of(b)))) {
            assertThatThrownBy(() -> socket.send(ByteBuffer.wrap(ADVERT), RawVrrpSocket.VRRP_GROUP))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("VRRP destination 224.0.0.18 on eth0 (expected one of 192.0.2.12)");
        }
    }

    private static void assertIpHeader(byte[] datagram, String source, String destination) throws Exception {
        assertThat(datagram[0]).as("version 4, 20-byte header").isEqualTo((byte) 0x45);
        assertThat(Byte.toUnsignedInt(datagram[1])).as("DSCP CS6 (internetwork control), as keepalived sends")
                .isEqualTo(0xc0);
        assertThat(Byte.toUnsignedInt(datagram[8])).as("TTL").isEqualTo(255);
        assertThat(Byte.toUnsignedInt(datagram[9])).as("protocol").isEqualTo(112);
        assertThat(InetAddress.getByAddress(Arrays.copyOfRange(datagram, 12, 16)).getHostAddress()).isEqualTo(source);
        assertThat(InetAddress.getByAddress(Arrays.copyOfRange(datagram, 16, 20)).getHostAddress()).isEqualTo(destination);
    }

    static Inet4Address ipv4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
