package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpCodecEncodeTest.NODE_11;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_200;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With {@code unicast_peer}, an advert is taken only from a listed peer; without, from any source on the link. */
class UnicastPeerFilterTest {

    private static final Inet4Address NODE_12 = ipv4("192.0.2.12");
    private static final Inet4Address STRANGER = ipv4("192.0.2.99");
    private static final VridExpectation VRID_51 =
            VridExpectation.v2(51, 1, AuthType.SIMPLE_TEXT, "1111", List.of(VIP_200));
    private static final VrrpExpectations WITH_PEERS =
            VrrpExpectations.of(VRID_51.withUnicastPeers(List.of(NODE_11, NODE_12)));

    @Test
    void shouldTakeAnAdvertFromAListedPeer() {
        VrrpPacket advert = advertFrom(NODE_12, 100);

        assertThat(VrrpCodec.decode(ByteBuffer.wrap(Ipv4Datagrams.of(advert)), WITH_PEERS)).isEqualTo(advert);
    }

    @Test
    void shouldDropAStrangersAdvertWhateverItsPriorityNamingTheSourceAndThePeers() {
        VrrpDecodeResult result = VrrpCodec.decode(ByteBuffer.wrap(Ipv4Datagrams.of(advertFrom(STRANGER, 254))),
                WITH_PEERS);

        assertThat(result).isInstanceOf(VrrpDrop.class);
        VrrpDrop drop = (VrrpDrop) result;
        assertThat(drop.reason()).isEqualTo(DropReason.NOT_A_UNICAST_PEER);
        assertThat(drop.vrid()).isEqualTo(51);
        assertThat(drop.message()).contains("from 192.0.2.99, VRID 51");
        assertThat(drop.detail()).startsWith("sender is not a unicast_peer (expected one of ")
                .contains("192.0.2.11", "192.0.2.12");
    }

    @Test
    void shouldTakeAnySourceWithoutUnicastPeers() {
        VrrpPacket advert = advertFrom(STRANGER, 254);

        assertThat(VrrpCodec.decode(ByteBuffer.wrap(Ipv4Datagrams.of(advert)), VrrpExpectations.of(VRID_51)))
                .isEqualTo(advert);
    }

    @Test
    void shouldReportAnotherMismatchBeforeTheSourceAsKeepalivedChecksInThatOrder() {
        VrrpPacket wrongPassword = VrrpPacket.v2Advert(51, 254, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "2222",
                STRANGER);

        VrrpDecodeResult result = VrrpCodec.decode(ByteBuffer.wrap(Ipv4Datagrams.of(wrongPassword)), WITH_PEERS);

        assertThat(result).isInstanceOfSatisfying(VrrpDrop.class,
                drop -> assertThat(drop.reason()).isEqualTo(DropReason.AUTH_MISMATCH));
    }

    private static VrrpPacket advertFrom(Inet4Address source, int priority) {
        return VrrpPacket.v2Advert(51, priority, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", source);
    }
}
