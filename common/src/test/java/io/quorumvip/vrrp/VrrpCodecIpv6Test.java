package io.quorumvip.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VRRPv3 over IPv6 (RFC 5798): what the IPv6 transport hands the codec, accepted or dropped under its reason. */
class VrrpCodecIpv6Test {

    static final InetAddress NODE_11 = ipv6("fe80::11");
    static final InetAddress STRANGER = ipv6("fe80::99");
    static final InetAddress GROUP = ipv6("ff02::12");
    static final InetAddress VIP_1 = ipv6("2001:db8::200");
    static final InetAddress VIP_2 = ipv6("2001:db8::201");
    static final VridExpectation VRID_52 = VridExpectation.v3(52, 100, List.of(VIP_1, VIP_2));
    static final VrrpExpectations EXPECTATIONS = VrrpExpectations.of(VRID_52);
    static final VrrpPacket ADVERT = VrrpPacket.v3Advert(52, 150, 100, List.of(VIP_1, VIP_2), NODE_11);

    @Test
    void shouldAcceptAVersion3AdvertToFf02_12WithEveryField() {
        assertThat(ADVERT.destination()).isEqualTo(GROUP);

        VrrpDecodeResult result = decode(Ipv6Datagrams.of(ADVERT));

        assertThat(result).isEqualTo(ADVERT);
    }

    @Test
    void shouldComputeTheChecksumOverTheIpv6PseudoHeaderAsRfc8200Says() {
        byte[] datagram = Ipv6Datagrams.of(ADVERT);
        byte[] message = Arrays.copyOfRange(datagram, 40, datagram.length);
        int stored = (message[6] & 0xff) << 8 | message[7] & 0xff;
        message[6] = 0;
        message[7] = 0;

        int reference = ReferenceChecksum.of(ReferenceChecksum.ipv6PseudoHeader(NODE_11.getAddress(),
                GROUP.getAddress(), 112, message.length), message);

        assertThat(stored).isEqualTo(reference);
    }

    @Test
    void shouldAcceptTheSameAddressesInAnotherOrder() {
        VrrpPacket reordered = VrrpPacket.v3Advert(52, 150, 100, List.of(VIP_2, VIP_1), NODE_11);

        assertThat(decode(Ipv6Datagrams.of(reordered))).isEqualTo(reordered);
    }

    @Test
    void shouldDropAHopLimitOtherThan255() {
        byte[] datagram = Ipv6Datagrams.of(ADVERT);
        datagram[7] = (byte) 254;

        assertThat(dropOf(datagram).detail()).isEqualTo("IPv6 hop limit 254 (expected 255)");
        assertThat(dropOf(datagram).reason()).isEqualTo(DropReason.TTL_NOT_255);
    }

    @Test
    void shouldDropAChecksumComputedWithoutThePseudoHeaderNamingTheSender() {
        byte[] datagram = Ipv6Datagrams.of(ADVERT);
        datagram[40 + 7] ^= 1;

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_CHECKSUM);
        assertThat(drop.message()).contains("over the message and the IPv6 pseudo-header", "from fe80:0:0:0:0:0:0:11",
                "VRID 52");
    }

    @Test
    void shouldDropVersion2OverIpv6() {
        byte[] datagram = Ipv6Datagrams.of(ADVERT);
        datagram[40] = 0x21;

        VrrpDrop drop = dropOf(datagram);

        assertThat(drop.reason()).isEqualTo(DropReason.BAD_VERSION);
        assertThat(drop.detail()).isEqualTo("VRRP version 2 over IPv6 (expected 3: version 2 is IPv4 only)");
    }

    @Test
    void shouldDropAPayloadLengthThatDisagreesWithTheBytesReceived() {
        byte[] datagram = Arrays.copyOf(Ipv6Datagrams.of(ADVERT), Ipv6Datagrams.of(ADVERT).length + 1);

        assertThat(dropOf(datagram).reason()).isEqualTo(DropReason.BAD_IP_HEADER);
    }

    @Test
    void shouldDropALengthThatDoesNotFitSixteenBytesPerAddress() {
        VrrpPacket one = VrrpPacket.v3Advert(52, 150, 100, List.of(VIP_1), NODE_11);
        byte[] datagram = Ipv6Datagrams.of(one);
        datagram[40 + 3] = 2;

        assertThat(dropOf(datagram).reason()).isEqualTo(DropReason.LENGTH_MISMATCH);
    }

    @Test
    void shouldDropAnotherAddressSetAsKeepalivedDoes() {
        VrrpPacket other = VrrpPacket.v3Advert(52, 150, 100, List.of(VIP_1, ipv6("2001:db8::202")), NODE_11);

        VrrpDrop drop = dropOf(Ipv6Datagrams.of(other));

        assertThat(drop.reason()).isEqualTo(DropReason.ADDRESS_LIST_MISMATCH);
        assertThat(drop.detail()).contains("2001:db8:0:0:0:0:0:202");
    }

    @Test
    void shouldDropAnUnknownVrid() {
        VrrpPacket other = VrrpPacket.v3Advert(53, 150, 100, List.of(VIP_1, VIP_2), NODE_11);

        assertThat(dropOf(Ipv6Datagrams.of(other)).reason()).isEqualTo(DropReason.UNKNOWN_VRID);
    }

    @Test
    void shouldTakeAdvertsOnlyFromUnicastPeersWhenThereAreAny() {
        VrrpExpectations peers = VrrpExpectations.of(VRID_52.withUnicastPeers(List.of(NODE_11)));
        VrrpPacket fromStranger = VrrpPacket.v3Advert(52, 254, 100, List.of(VIP_1, VIP_2), STRANGER);

        assertThat(VrrpCodec.decode(ByteBuffer.wrap(Ipv6Datagrams.of(ADVERT)), peers)).isEqualTo(ADVERT);
        assertThat(VrrpCodec.decode(ByteBuffer.wrap(Ipv6Datagrams.of(fromStranger)), peers))
                .isInstanceOfSatisfying(VrrpDrop.class,
                        drop -> assertThat(drop.reason()).isEqualTo(DropReason.NOT_A_UNICAST_PEER));
    }

    @Test
    void shouldNeverThrowOnAnyTruncationOfAnIpv6Advert() {
        byte[] datagram = Ipv6Datagrams.of(ADVERT);
        for (int length = 0; length < datagram.length; length++) {
            byte[] cut = Arrays.copyOf(datagram, length);
            assertThat(decode(cut)).as("cut at %d", length).isInstanceOf(VrrpDrop.class);
        }
    }

    private static VrrpDecodeResult decode(byte[] datagram) {
        return VrrpCodec.decode(ByteBuffer.wrap(datagram), EXPECTATIONS);
    }

    private static VrrpDrop dropOf(byte[] datagram) {
        VrrpDecodeResult result = decode(datagram);
        assertThat(result).isInstanceOf(VrrpDrop.class);
        return (VrrpDrop) result;
    }

    static InetAddress ipv6(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("IPv6 literal " + literal, e);
        }
    }
}
