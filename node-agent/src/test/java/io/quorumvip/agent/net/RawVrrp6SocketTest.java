package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.vrrp.VridExpectation;
import io.quorumvip.vrrp.VrrpCodec;
import io.quorumvip.vrrp.VrrpDecodeResult;
import io.quorumvip.vrrp.VrrpExpectations;
import io.quorumvip.vrrp.VrrpPacket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** VRRPv3 adverts over IPv6 between two network namespaces over a veth pair (root only), decoded by the codec. */
class RawVrrp6SocketTest {

    static final int WAIT_MILLIS = 3000;
    static final InetAddress VIP = address("2001:db8::200");
    static final VrrpExpectations EXPECTATIONS = VrrpExpectations.of(VridExpectation.v3(52, 100, List.of(VIP)));

    private static VethLab lab;

    @BeforeAll
    static void createLab() throws Exception {
        VethLab.assumeRootAndIp();
        lab = VethLab.create();
        lab.enableIpv6();
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldDeliverAMulticastAdvertFromTheLinkLocalAddressWithHopLimit255ThatTheCodecAccepts() throws Exception {
        try (RawVrrp6Socket sender = lab.inA(() -> RawVrrp6Socket.open("eth0", Optional.empty(), List.of()));
             RawVrrp6Socket receiver = lab.inB(() -> RawVrrp6Socket.open("eth0", Optional.empty(), List.of()))) {
            VrrpPacket advert = VrrpPacket.v3Advert(52, 150, 100, List.of(VIP), sender.source());

            send(sender, advert, RawVrrp6Socket.VRRP_GROUP);
            VrrpDecodeResult received = receive(receiver);

            assertThat(sender.source().isLinkLocalAddress()).as("source %s is link-local", sender.source()).isTrue();
            assertThat(received).isEqualTo(advert);
            assertThat(((VrrpPacket) received).destination().getHostAddress()).isEqualTo("ff02:0:0:0:0:0:0:12");
            assertThat(((VrrpPacket) received).ttl()).isEqualTo(255);
        }
    }

    @Test
    void shouldSendToAUnicastPeer() throws Exception {
        Inet6Address peer = lab.linkLocalB();
        try (RawVrrp6Socket sender = lab.inA(() -> RawVrrp6Socket.open("eth0", Optional.empty(), List.of(peer)));
             RawVrrp6Socket receiver = lab.inB(() -> RawVrrp6Socket.open("eth0", Optional.empty(),
                     List.of(lab.linkLocalA())))) {
            VrrpPacket advert = new VrrpPacket(io.quorumvip.vrrp.VrrpVersion.V3, 52, 150, 100, List.of(VIP),
                    io.quorumvip.vrrp.AuthType.NONE, "", sender.source(), peer, 255);

            send(sender, advert, peer);

            assertThat(receive(receiver)).isEqualTo(advert);
        }
    }

    @Test
    void shouldUnblockTheReceiverWhenClosedFromAnotherThread() throws Exception {
        RawVrrp6Socket socket = lab.inB(() -> RawVrrp6Socket.open("eth0", Optional.empty(), List.of()));
        CompletableFuture<Integer> receiving = CompletableFuture.supplyAsync(() -> {
            try {
                return socket.receive(ByteBuffer.allocate(2048), 30_000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(200);

        socket.close();

        assertThatThrownBy(() -> receiving.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(java.io.UncheckedIOException.class)
                .hasRootCauseInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void shouldRefuseASourceThatIsNotALinkLocalAddressOfTheInterface() {
        assertThatThrownBy(() -> lab.inA(() -> RawVrrp6Socket.open("eth0",
                Optional.of((Inet6Address) address("fe80::dead")), List.of())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("fe80:0:0:0:0:0:0:dead is not a link-local address of eth0");
    }

    static void send(RawVrrp6Socket socket, VrrpPacket advert, Inet6Address destination) throws IOException {
        ByteBuffer message = ByteBuffer.allocate(VrrpCodec.encodedLength(advert));
        VrrpCodec.encode(advert, message);
        socket.send(message.flip(), destination);
    }

    static VrrpDecodeResult receive(RawVrrp6Socket socket) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(2048);
        int length = socket.receive(into, WAIT_MILLIS);
        assertThat(length).as("bytes received within %d ms", WAIT_MILLIS).isPositive().isEqualTo(into.position());
        return VrrpCodec.decode(into.flip(), EXPECTATIONS);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
