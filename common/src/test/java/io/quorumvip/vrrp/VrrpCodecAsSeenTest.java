package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpCodecEncodeTest.NODE_11;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_200;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_201;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link VrrpCodec#decodeAsSeen}: the wire's checks, no configuration; what forensics reads from captures. */
class VrrpCodecAsSeenTest {

    @Test
    void anAdvertOfAnyVridShouldComeBackAsItWasSentWhateverItsAddressOrder() {
        VrrpPacket sent = VrrpPacket.v3Advert(200, 254, 35, List.of(VIP_201, VIP_200), NODE_11);

        VrrpDecodeResult seen = VrrpCodec.decodeAsSeen(ByteBuffer.wrap(Ipv4Datagrams.of(sent)));

        assertThat(seen).isEqualTo(sent);
    }

    @Test
    void anIpv6AdvertShouldComeBackAsItWasSent() {
        VrrpPacket sent = VrrpCodecIpv6Test.ADVERT;

        assertThat(VrrpCodec.decodeAsSeen(ByteBuffer.wrap(Ipv6Datagrams.of(sent)))).isEqualTo(sent);
    }

    @Test
    void aVersion2PasswordShouldNotBeReported() {
        VrrpPacket sent = VrrpPacket.v2Advert(51, 100, 3, List.of(VIP_200), AuthType.SIMPLE_TEXT, "secret", NODE_11);

        VrrpPacket seen = (VrrpPacket) VrrpCodec.decodeAsSeen(ByteBuffer.wrap(Ipv4Datagrams.of(sent)));

        assertThat(seen.authType()).isEqualTo(AuthType.SIMPLE_TEXT);
        assertThat(seen.authPassword()).isEmpty();
        assertThat(seen.advertIntervalCentis()).isEqualTo(300);
    }

    @Test
    void theWiresChecksShouldStillDrop() {
        byte[] corrupted = Ipv4Datagrams.of(VrrpPacket.v3Advert(60, 254, 35, List.of(VIP_200), NODE_11));
        corrupted[20 + 7] ^= 1;
        byte[] noInterval = Ipv4Datagrams.of(VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.NONE, "",
                NODE_11));
        noInterval[20 + 5] = 0;
        byte[] fixed = fixVersion2Checksum(noInterval);

        assertThat(((VrrpDrop) VrrpCodec.decodeAsSeen(ByteBuffer.wrap(corrupted))).reason())
                .isEqualTo(DropReason.BAD_CHECKSUM);
        assertThat(((VrrpDrop) VrrpCodec.decodeAsSeen(ByteBuffer.wrap(fixed))).reason())
                .isEqualTo(DropReason.ADVERT_INTERVAL_MISMATCH);
    }

    /** Version 2's checksum covers the VRRP message alone: recompute it after editing a field. */
    private static byte[] fixVersion2Checksum(byte[] datagram) {
        datagram[20 + 6] = 0;
        datagram[20 + 7] = 0;
        int checksum = ReferenceChecksum.of(Arrays.copyOfRange(datagram, 20, datagram.length));
        datagram[20 + 6] = (byte) (checksum >> 8);
        datagram[20 + 7] = (byte) checksum;
        return datagram;
    }
}
