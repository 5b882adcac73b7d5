package io.quorumvip.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpCodecEncodeTest {

    static final Inet4Address NODE_11 = ipv4("192.0.2.11");
    static final Inet4Address VIP_200 = ipv4("192.0.2.200");
    static final Inet4Address VIP_201 = ipv4("192.0.2.201");

    @Test
    void shouldEncodeV2AdvertByteForByteAsKeepalivedSendsIt() {
        // keepalived: virtual_router_id 51, priority 100, advert_int 1, auth_type PASS, auth_pass 1111,
        // virtual_ipaddress { 192.0.2.200 }. Checksum by hand: words 2133+6401+0101+c000+02c8+3131+3131
        // = 1ab5f, folded ab60, complemented 549f.
        VrrpPacket advert = VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", NODE_11);

        assertThat(hex(encode(advert))).isEqualTo("21336401010154" + "9f" + "c00002c8" + "3131313100000000");
    }

    @Test
    void shouldEncodeV2ChecksumThatTheReferenceImplementationAgreesWith() {
        VrrpPacket advert = VrrpPacket.v2Advert(7, 254, 3, List.of(VIP_200, VIP_201), AuthType.NONE, "", NODE_11);

        byte[] message = encode(advert);

        assertThat(ReferenceChecksum.of(message)).as("a correct checksum makes the sum verify to zero").isZero();
        assertThat(message).hasSize(8 + 2 * 4 + 8);
        assertThat(Arrays.copyOfRange(message, 16, 24)).as("auth data without auth").containsOnly(0);
    }

    @Test
    void shouldPadTheV2PasswordWithZerosToEightBytes() {
        VrrpPacket advert = VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "pä", NODE_11);

        byte[] message = encode(advert);

        assertThat(hex(Arrays.copyOfRange(message, 12, 20))).isEqualTo("70c3a40000000000");
    }

    @Test
    void shouldEncodeV3ChecksumOverTheIpv4PseudoHeader() {
        // By hand: message 3133+6401+0064+c000+02c8 = 15860; pseudo-header c000+020b+e000+0012+0070+000c = 1a299;
        // total 2faf9, folded fafb, complemented 0504.
        VrrpPacket advert = VrrpPacket.v3Advert(51, 100, 100, List.of(VIP_200), NODE_11);

        byte[] message = encode(advert);

        assertThat(hex(message)).isEqualTo("31336401" + "0064" + "0504" + "c00002c8");
        byte[] pseudo = ReferenceChecksum.ipv4PseudoHeader(NODE_11.getAddress(), ipv4("224.0.0.18").getAddress(),
                112, message.length);
        assertThat(ReferenceChecksum.of(pseudo, message)).isZero();
    }

    @Test
    void shouldWriteTheTwelveBitV3IntervalWithZeroReservedBits() {
        VrrpPacket advert = VrrpPacket.v3Advert(1, 200, 4095, List.of(VIP_200), NODE_11);

        byte[] message = encode(advert);

        assertThat(message[4]).isEqualTo((byte) 0x0f);
        assertThat(message[5]).isEqualTo((byte) 0xff);
    }

    @Test
    void shouldEncodeV3Ipv6ChecksumOverTheIpv6PseudoHeader() {
        Inet6Address source = ipv6("fe80::11");
        VrrpPacket advert = VrrpPacket.v3Advert(51, 100, 100, List.of(ipv6("2001:db8::200")), source);

        byte[] message = encode(advert);

        assertThat(message).hasSize(8 + 16);
        assertThat(advert.destination().getHostAddress()).isEqualTo("ff02:0:0:0:0:0:0:12");
        byte[] pseudo = ReferenceChecksum.ipv6PseudoHeader(source.getAddress(), advert.destination().getAddress(),
                112, message.length);
        assertThat(ReferenceChecksum.of(pseudo, message)).isZero();
    }

    @Test
    void shouldEncodeAtTheBufferPositionAndAdvanceIt() {
        VrrpPacket advert = VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", NODE_11);
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        out.position(5);

        int written = VrrpCodec.encode(advert, out);

        assertThat(written).isEqualTo(20).isEqualTo(VrrpCodec.encodedLength(advert));
        assertThat(out.position()).isEqualTo(25);
        assertThat(hex(Arrays.copyOfRange(out.array(), 5, 25))).isEqualTo(hex(encode(advert)));
    }

    @Test
    void shouldRefuseABufferTooSmallNamingBothSizes() {
        VrrpPacket advert = VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.NONE, "", NODE_11);

        assertThatThrownBy(() -> VrrpCodec.encode(advert, ByteBuffer.allocate(19)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("VRRP encode buffer has 19 bytes left (expected at least 20 for this advert)");
    }

    @Test
    void shouldEncodePriorityZeroForStepDown() {
        VrrpPacket advert = VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.NONE, "", NODE_11);

        byte[] message = encode(advert.withPriority(0));

        assertThat(message[2]).isZero();
        assertThat(ReferenceChecksum.of(message)).isZero();
    }

    static byte[] encode(VrrpPacket advert) {
        ByteBuffer out = ByteBuffer.allocate(VrrpCodec.encodedLength(advert));
        VrrpCodec.encode(advert, out);
        return out.array();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static Inet4Address ipv4(String literal) {
        return (Inet4Address) address(literal);
    }

    static Inet6Address ipv6(String literal) {
        return (Inet6Address) address(literal);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }
}
