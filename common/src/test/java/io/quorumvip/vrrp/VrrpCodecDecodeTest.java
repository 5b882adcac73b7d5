package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpCodecEncodeTest.NODE_11;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_200;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_201;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpCodecDecodeTest {

    static final Inet4Address GROUP = ipv4("224.0.0.18");
    static final VridExpectation VRID_51_V2 =
            VridExpectation.v2(51, 1, AuthType.SIMPLE_TEXT, "1111", List.of(VIP_200));
    static final VridExpectation VRID_60_V3 = VridExpectation.v3(60, 100, List.of(VIP_200, VIP_201));
    static final VrrpExpectations EXPECTATIONS = VrrpExpectations.of(VRID_51_V2, VRID_60_V3);

    static final VrrpPacket KEEPALIVED_ADVERT =
            VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", NODE_11);

    // ---- accepted ----

    @Test
    void shouldAcceptKeepalivedsDefaultAdvertWithEveryField() {
        VrrpDecodeResult result = decode(Ipv4Datagrams.of(KEEPALIVED_ADVERT));

        assertThat(result).isInstanceOf(VrrpPacket.class);
        VrrpPacket packet = (VrrpPacket) result;
        assertThat(packet.version()).isEqualTo(VrrpVersion.V2);
        assertThat(packet.vrid()).isEqualTo(51);
        assertThat(packet.priority()).isEqualTo(100);
        assertThat(packet.advertIntervalCentis()).isEqualTo(100);
        assertThat(packet.addresses()).containsExactly(VIP_200);
        assertThat(packet.authType()).isEqualTo(AuthType.SIMPLE_TEXT);
        assertThat(packet.authPassword()).isEqualTo("1111");
        assertThat(packet.source()).isEqualTo(NODE_11);
        assertThat(packet.destination()).isEqualTo(GROUP);
        assertThat(packet.ttl()).isEqualTo(255);
        assertThat(packet).isEqualTo(KEEPALIVED_ADVERT);
    }

    @Test
    void shouldAcceptV3AndLearnTheMastersIntervalWhateverIsConfigured() {
        VrrpPacket advert = VrrpPacket.v3Advert(60, 150, 35, List.of(VIP_200, VIP_201), NODE_11);

        VrrpDecodeResult result = decode(Ipv4Datagrams.of(advert));

        assertThat(result).isEqualTo(advert);
        assertThat(((VrrpPacket) result).advertIntervalCentis()).isEqualTo(35);
    }

    @Test
    void shouldAcceptTheSameAddressSetInAnotherOrderAndReportThePacketsOrder() {
        VrrpPacket advert = VrrpPacket.v3Advert(60, 150, 100, List.of(VIP_201, VIP_200), NODE_11);

        VrrpDecodeResult result = decode(Ipv4Datagrams.of(advert));

        assertThat(result).isInstanceOf(VrrpPacket.class);
        assertThat(((VrrpPacket) result).addresses()).containsExactly(VIP_201, VIP_200);
    }

    @Test
    void shouldAcceptPriorityZeroFromAMasterSteppingDown() {
        VrrpDecodeResult result = decode(Ipv4Datagrams.of(KEEPALIVED_ADVERT.withPriority(0)));

        assertThat(result).isInstanceOf(VrrpPacket.class);
        assertThat(((VrrpPacket) result).priority()).isZero();
    }

    @Test
    void shouldIgnoreTheV3ReservedBitsAsRfc5798Says() {
        byte[] datagram = Ipv4Datagrams.of(VrrpPacket.v3Advert(60, 150, 100, List.of(VIP_200, VIP_201), NODE_11));
        datagram[20 + 4] |= (byte) 0xf0;

        VrrpDecodeResult result = decode(withFixedVrrpChecksum(datagram));

        assertThat(result).isInstanceOf(VrrpPacket.class);
        assertThat(((VrrpPacket) result).advertIntervalCentis()).isEqualTo(100);
    }

    @Test
    void shouldIgnoreV2AuthDataWhenNoAuthIsConfigured() {
        VrrpExpectations noAuth = VrrpExpectations.of(VridExpectation.v2(51, 1, AuthType.NONE, "", List.of(VIP_200)));
        byte[] datagram = Ipv4Datagrams.of(
                VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.NONE, "", NODE_11));
        datagram[datagram.length - 1] = 'x';

        VrrpDecodeResult result = VrrpCodec.decode(ByteBuffer.wrap(withFixedVrrpChecksum(datagram)), noAuth);

        assertThat(result).isInstanceOf(VrrpPacket.class);
        assertThat(((VrrpPacket) result).authPassword()).isEmpty();
    }

    @Test
    void shouldDecodeFromTheBufferPositionInAnyByteOrderAndLeaveThePositionAlone() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        ByteBuffer buffer = ByteBuffer.allocateDirect(100).order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(7);
        buffer.put(datagram);
        buffer.flip().position(7);

        VrrpDecodeResult result = VrrpCodec.decode(buffer, EXPECTATIONS);

        assertThat(result).isEqualTo(KEEPALIVED_ADVERT);
        assertThat(buffer.position()).isEqualTo(7);
        assertThat(buffer.limit()).isEqualTo(7 + datagram.length);
    }

    @Test
    void shouldReportAUnicastDestinationAsItArrived() {
        VrrpPacket unicast = new VrrpPacket(VrrpVersion.V2, 51, 100, 100, List.of(VIP_200), AuthType.SIMPLE_TEXT,
                "1111", NODE_11, ipv4("192.0.2.12"), 255);

        assertThat(decode(Ipv4Datagrams.of(unicast))).isEqualTo(unicast);
    }

    // ---- one test per drop reason ----

    @Test
    void shouldDropADatagramShorterThanAnIpv4Header() {
        VrrpDrop drop = dropOf(Arrays.copyOf(Ipv4Datagrams.of(KEEPALIVED_ADVERT), 19));

        assertThat(drop.reason()).isEqualTo(DropReason.TRUNCATED);
        assertThat(drop.detail()).isEqualTo("datagram length 19 bytes (expected at least 20 for an IPv4 header)");
        assertThat(drop.vrid()).isEqualTo(VrrpDrop.UNKNOWN);
    }

    @Test
    void shouldDropADatagramEndingInsideItsIpv4Options() {
        byte[] datagram = Arrays.copyOf(Ipv4Datagrams.of(KEEPALIVED_ADVERT), 30);
        datagram[0] = 0x4f;

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.TRUNCATED);
        assertThat(drop.detail()).isEqualTo("datagram length 30 bytes (expected at least 60, its IPv4 header length)");
    }

    @Test
    void shouldDropADatagramEndingInsideTheVrrpHeader() {
        byte[] datagram = Arrays.copyOf(Ipv4Datagrams.of(KEEPALIVED_ADVERT), 24);
        datagram[3] = 24;

        VrrpDrop drop = dropOf(Ipv4Datagrams.withFixedHeaderChecksum(datagram));

        assertThat(drop.reason()).isEqualTo(DropReason.TRUNCATED);
        assertThat(drop.detail()).isEqualTo("VRRP message length 4 bytes (expected at least 8 for the VRRP header)");
    }

    @Test
    void shouldDropADatagramOfAnotherIpVersionThanFourOrSix() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        datagram[0] = 0x75;

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_IP_HEADER);
        assertThat(drop.detail()).isEqualTo("IP version 7 (expected 4 or 6)");
    }

    @Test
    void shouldDropAnIpv4HeaderLengthBelowTwentyBytes() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        datagram[0] = 0x44;

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_IP_HEADER);
        assertThat(drop.detail()).isEqualTo("IPv4 header length 16 bytes (expected 20..60)");
    }

    @Test
    void shouldDropATotalLengthThatDisagreesWithTheBytesReceived() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        datagram[3] = 60;

        VrrpDrop drop = dropOf(Ipv4Datagrams.withFixedHeaderChecksum(datagram));

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_IP_HEADER);
        assertThat(drop.detail()).isEqualTo("IPv4 total length 60 (expected 40, the bytes received)");
    }

    @Test
    void shouldDropABadIpv4HeaderChecksum() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        int good = (datagram[10] & 0xff) << 8 | (datagram[11] & 0xff);
        datagram[11] ^= 1;

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_IP_HEADER);
        assertThat(drop.detail()).isEqualTo(String.format("IPv4 header checksum 0x%04x (expected 0x%04x)",
                good ^ 1, good));
    }

    @Test
    void shouldDropAnotherIpProtocol() {
        byte[] datagram = Ipv4Datagrams.wrap(VrrpCodecEncodeTest.encode(KEEPALIVED_ADVERT), NODE_11, GROUP, 255, 51);

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.NOT_VRRP);
        assertThat(drop.detail()).isEqualTo("IP protocol 51 (expected 112)");
    }

    @Test
    void shouldDropATtlOtherThan255() {
        byte[] datagram = Ipv4Datagrams.wrap(VrrpCodecEncodeTest.encode(KEEPALIVED_ADVERT), NODE_11, GROUP, 254, 112);

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.TTL_NOT_255);
        assertThat(drop.detail()).isEqualTo("IP TTL 254 (expected 255)");
        assertThat(drop.message()).contains("from 192.0.2.11");
    }

    @Test
    void shouldDropAnUnknownVrrpVersion() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        datagram[20] = 0x41;

        VrrpDrop drop = dropOf(withFixedVrrpChecksum(datagram));

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_VERSION);
        assertThat(drop.detail()).isEqualTo("VRRP version 4 (expected 2 or 3)");
    }

    @Test
    void shouldDropATypeOtherThanAdvertisement() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        datagram[20] = 0x22;

        VrrpDrop drop = dropOf(withFixedVrrpChecksum(datagram));

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_TYPE);
        assertThat(drop.detail()).isEqualTo("VRRP type 2 (expected 1 ADVERTISEMENT)");
    }

    @Test
    void shouldDropALengthThatDoesNotFitTheAddressCount() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        datagram[23] = 2;

        VrrpDrop drop = dropOf(withFixedVrrpChecksum(datagram));

        assertThat(drop.reason()).isEqualTo(DropReason.LENGTH_MISMATCH);
        assertThat(drop.detail())
                .isEqualTo("VRRP message length 20 bytes (expected 24 for version 2 with 2 IPv4 addresses)");
    }

    @Test
    void shouldDropAV2MessageWithoutItsEightAuthBytes() {
        byte[] message = Arrays.copyOf(VrrpCodecEncodeTest.encode(KEEPALIVED_ADVERT), 12);

        VrrpDrop drop = dropOf(Ipv4Datagrams.wrap(message, NODE_11, GROUP));

        assertThat(drop.reason()).isEqualTo(DropReason.LENGTH_MISMATCH);
    }

    @Test
    void shouldDropABadChecksumNamingTheExpectedOne() {
        byte[] datagram = Ipv4Datagrams.of(KEEPALIVED_ADVERT);
        datagram[20 + 7] = (byte) 0x9e;

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_CHECKSUM);
        assertThat(drop.detail()).isEqualTo("VRRP checksum 0x549e (expected 0x549f over the message)");
        assertThat(drop.vrid()).isEqualTo(51);
    }

    @Test
    void shouldDropAV3ChecksumComputedWithoutThePseudoHeader() {
        byte[] message = VrrpCodecEncodeTest.encode(
                VrrpPacket.v3Advert(60, 150, 100, List.of(VIP_200, VIP_201), NODE_11));
        message[6] = 0;
        message[7] = 0;
        int v2Style = ReferenceChecksum.of(message);
        message[6] = (byte) (v2Style >> 8);
        message[7] = (byte) v2Style;

        VrrpDrop drop = dropOf(Ipv4Datagrams.wrap(message, NODE_11, GROUP));

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_CHECKSUM);
        assertThat(drop.detail()).endsWith("over the message and the IPv4 pseudo-header)");
    }

    @Test
    void shouldDropAV3AdvertWhoseChecksumCoversAnotherSourceAddress() {
        byte[] datagram = Ipv4Datagrams.of(VrrpPacket.v3Advert(60, 150, 100, List.of(VIP_200, VIP_201), NODE_11));
        datagram[15] = 12;

        VrrpDrop drop = dropOf(Ipv4Datagrams.withFixedHeaderChecksum(datagram));

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_CHECKSUM);
    }

    @Test
    void shouldDropAVridNotConfiguredOnThisInterface() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(
                VrrpPacket.v2Advert(52, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", NODE_11)));

        assertThat(drop.reason()).isEqualTo(DropReason.UNKNOWN_VRID);
        assertThat(drop.detail())
                .isEqualTo("VRID 52 (expected a VRID configured on this interface; configured: 51, 60)");
    }

    @Test
    void shouldDropTheOtherVrrpVersionThanConfigured() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(VrrpPacket.v3Advert(51, 100, 100, List.of(VIP_200), NODE_11)));

        assertThat(drop.reason()).isEqualTo(DropReason.VERSION_MISMATCH);
        assertThat(drop.detail()).isEqualTo("VRRP version 3 (expected 2, as configured for VRID 51)");
    }

    @Test
    void shouldDropAnotherAuthType() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(
                VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.NONE, "", NODE_11)));

        assertThat(drop.reason()).isEqualTo(DropReason.AUTH_TYPE_MISMATCH);
        assertThat(drop.detail()).isEqualTo("auth type 0 (expected 1 SIMPLE_TEXT)");
    }

    @Test
    void shouldDropAWrongPasswordWithoutShowingEither() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(
                VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "11111", NODE_11)));

        assertThat(drop.reason()).isEqualTo(DropReason.AUTH_MISMATCH);
        assertThat(drop.message()).doesNotContain("1111");
    }

    @Test
    void shouldDropAnotherV2AdvertInterval() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(
                VrrpPacket.v2Advert(51, 100, 2, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", NODE_11)));

        assertThat(drop.reason()).isEqualTo(DropReason.ADVERT_INTERVAL_MISMATCH);
        assertThat(drop.detail()).isEqualTo("advert interval 2 s (expected 1 s)");
    }

    @Test
    void shouldDropAV3IntervalOfZeroThatWouldMakeBackupsTakeOverAtOnce() {
        byte[] datagram = Ipv4Datagrams.of(VrrpPacket.v3Advert(60, 150, 100, List.of(VIP_200, VIP_201), NODE_11));
        datagram[20 + 5] = 0;

        VrrpDrop drop = dropOf(withFixedVrrpChecksum(datagram));

        assertThat(drop.reason()).isEqualTo(DropReason.ADVERT_INTERVAL_MISMATCH);
        assertThat(drop.detail()).isEqualTo("advert interval 0 cs (expected 1..4095 cs)");
    }

    @Test
    void shouldDropAnAdvertWithAnotherAddressCountAsKeepalivedDoes() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200, VIP_201),
                AuthType.SIMPLE_TEXT, "1111", NODE_11)));

        assertThat(drop.reason()).isEqualTo(DropReason.ADDRESS_LIST_MISMATCH);
        assertThat(drop.detail()).isEqualTo("address count 2 (expected 1: 192.0.2.200)");
    }

    @Test
    void shouldDropAnAdvertLackingAConfiguredAddressAsKeepalivedDoes() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(
                VrrpPacket.v3Advert(60, 150, 100, List.of(VIP_201, ipv4("192.0.2.202")), NODE_11)));

        assertThat(drop.reason()).isEqualTo(DropReason.ADDRESS_LIST_MISMATCH);
        assertThat(drop.detail()).isEqualTo(
                "advert lacks configured address 192.0.2.200 (expected the same set: 192.0.2.200, 192.0.2.201)");
    }

    @Test
    void shouldDropAnAdvertRepeatingOneAddressInsteadOfCarryingBoth() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(new VrrpPacket(VrrpVersion.V3, 60, 150, 100,
                List.of(VIP_201, VIP_201), AuthType.NONE, "", NODE_11, GROUP, 255)));

        assertThat(drop.reason()).isEqualTo(DropReason.ADDRESS_LIST_MISMATCH);
    }

    @Test
    void shouldWriteADropMessageWithReasonDetailSenderVridAndHint() {
        VrrpDrop drop = dropOf(Ipv4Datagrams.of(
                VrrpPacket.v2Advert(51, 100, 2, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", NODE_11)));

        assertThat(drop.message()).isEqualTo("dropped VRRP advert (ADVERT_INTERVAL_MISMATCH): advert interval 2 s "
                + "(expected 1 s); from 192.0.2.11, VRID 51; set the same advert_int on every router of this VRID");
    }

    static VrrpDecodeResult decode(byte[] datagram) {
        return VrrpCodec.decode(ByteBuffer.wrap(datagram), EXPECTATIONS);
    }

    static VrrpDrop dropOf(byte[] datagram) {
        VrrpDecodeResult result = decode(datagram);
        assertThat(result).isInstanceOf(VrrpDrop.class);
        return (VrrpDrop) result;
    }

    /** Recomputes the VRRP checksum of a datagram a test changed on purpose (version 3 with the pseudo-header). */
    static byte[] withFixedVrrpChecksum(byte[] datagram) {
        byte[] fixed = datagram.clone();
        int ip = (fixed[0] & 0x0f) * 4;
        fixed[ip + 6] = 0;
        fixed[ip + 7] = 0;
        byte[] message = Arrays.copyOfRange(fixed, ip, fixed.length);
        int checksum = (fixed[ip] & 0xf0) == 0x30
                ? ReferenceChecksum.of(ReferenceChecksum.ipv4PseudoHeader(Arrays.copyOfRange(fixed, 12, 16),
                        Arrays.copyOfRange(fixed, 16, 20), 112, message.length), message)
                : ReferenceChecksum.of(message);
        fixed[ip + 6] = (byte) (checksum >> 8);
        fixed[ip + 7] = (byte) checksum;
        return fixed;
    }
}
