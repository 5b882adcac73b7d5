package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpCodecEncodeTest.NODE_11;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_200;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.ipv4;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.ipv6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpPacketTest {

    @Test
    void shouldRefuseVridZero() {
        assertThatThrownBy(() -> VrrpPacket.v3Advert(0, 100, 100, List.of(VIP_200), NODE_11))
                .hasMessage("VRID got 0 (expected 1..255)");
    }

    @Test
    void shouldRefusePriorityAbove255() {
        assertThatThrownBy(() -> VrrpPacket.v3Advert(1, 256, 100, List.of(VIP_200), NODE_11))
                .hasMessage("priority got 256 (expected 0..255)");
    }

    @Test
    void shouldRefuseAV2IntervalThatIsNotWholeSeconds() {
        assertThatThrownBy(() -> new VrrpPacket(VrrpVersion.V2, 1, 100, 150, List.of(VIP_200), AuthType.NONE, "",
                NODE_11, NODE_11, 255))
                .hasMessage("VRRP version 2 advert interval got 150 cs "
                        + "(expected whole seconds 1..255 s, i.e. 100..25500 cs in steps of 100)");
    }

    @Test
    void shouldRefuseAV3IntervalBeyondTwelveBits() {
        assertThatThrownBy(() -> VrrpPacket.v3Advert(1, 100, 4096, List.of(VIP_200), NODE_11))
                .hasMessage("VRRP version 3 advert interval (cs) got 4096 (expected 1..4095)");
    }

    @Test
    void shouldRefuseMoreThan255Addresses() {
        List<Inet4Address> many = new ArrayList<>(Collections.nCopies(256, VIP_200));

        assertThatThrownBy(() -> VrrpPacket.v3Advert(1, 100, 100, many, NODE_11))
                .hasMessage("VRRP address count got 256 (expected at most 255: the Count IPvX Addr field is one byte)");
    }

    @Test
    void shouldRefuseAnIpv6AddressInAnIpv4Advert() {
        List<InetAddress> mixed = List.of(VIP_200, ipv6("2001:db8::1"));

        assertThatThrownBy(() -> VrrpPacket.v3Advert(1, 100, 100, mixed, NODE_11))
                .hasMessage("VRRP address got 2001:db8:0:0:0:0:0:1 (expected the address family of the source "
                        + "192.0.2.11)");
    }

    @Test
    void shouldRefuseVersion2OverIpv6() {
        assertThatThrownBy(() -> new VrrpPacket(VrrpVersion.V2, 1, 100, 100, List.of(), AuthType.NONE, "",
                ipv6("fe80::1"), ipv6("ff02::12"), 255))
                .hasMessageStartingWith("VRRP version 2 source got fe80:0:0:0:0:0:0:1 (expected an IPv4 address");
    }

    @Test
    void shouldRefuseAuthenticationInVersion3() {
        assertThatThrownBy(() -> new VrrpPacket(VrrpVersion.V3, 1, 100, 100, List.of(), AuthType.SIMPLE_TEXT, "x",
                NODE_11, NODE_11, 255))
                .hasMessage("VRRP version 3 auth type got SIMPLE_TEXT (expected NONE: version 3 has no "
                        + "authentication, RFC 5798 §9)");
    }

    @Test
    void shouldRefuseIpsecAhWhichIsNotSupported() {
        assertThatThrownBy(() -> VrrpPacket.v2Advert(1, 100, 1, List.of(VIP_200), AuthType.IP_AH, "", NODE_11))
                .hasMessage("VRRP auth type got IP_AH (expected NONE or SIMPLE_TEXT: AH authentication is not "
                        + "supported)");
    }

    @Test
    void shouldRefuseAPasswordLongerThanEightUtf8Bytes() {
        assertThatThrownBy(() -> VrrpPacket.v2Advert(1, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "pässwort",
                NODE_11))
                .hasMessage("VRRP password length got 9 bytes of UTF-8 (expected at most 8: keepalived cuts "
                        + "auth_pass to 8 bytes, cut it likewise)");
    }

    @Test
    void shouldAcceptAPasswordOfExactlyEightBytes() {
        VrrpPacket advert = VrrpPacket.v2Advert(1, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "12345678",
                NODE_11);

        assertThat(advert.authPassword()).isEqualTo("12345678");
    }

    @Test
    void shouldRefuseAPasswordWithNul() {
        assertThatThrownBy(() -> VrrpPacket.v2Advert(1, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "a\0b",
                NODE_11))
                .hasMessageStartingWith("VRRP password contains a NUL character at index 1");
    }

    @Test
    void shouldRefuseAPasswordWithoutSimpleTextAuth() {
        assertThatThrownBy(() -> VrrpPacket.v2Advert(1, 100, 1, List.of(VIP_200), AuthType.NONE, "1111", NODE_11))
                .hasMessage("VRRP password given with auth type NONE (expected an empty password or auth type "
                        + "SIMPLE_TEXT)");
    }

    @Test
    void shouldHoldItsAddressListImmutably() {
        List<Inet4Address> addresses = new ArrayList<>(List.of(VIP_200));
        VrrpPacket advert = VrrpPacket.v3Advert(1, 100, 100, addresses, NODE_11);

        addresses.add(ipv4("192.0.2.201"));

        assertThat(advert.addresses()).containsExactly(VIP_200);
        assertThatThrownBy(() -> advert.addresses().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldSendToTheVrrpGroupWithTtl255() {
        VrrpPacket advert = VrrpPacket.v2Advert(1, 100, 1, List.of(VIP_200), AuthType.NONE, "", NODE_11);

        assertThat(advert.destination()).isEqualTo(ipv4("224.0.0.18"));
        assertThat(advert.ttl()).isEqualTo(255);
    }

    @Test
    void shouldMapVersionsAndAuthTypesToAndFromTheirWireBytes() {
        for (VrrpVersion version : VrrpVersion.values()) {
            assertThat(VrrpVersion.valueOf(version.byteValue())).isEqualTo(version);
        }
        for (AuthType authType : AuthType.values()) {
            assertThat(AuthType.valueOf(authType.byteValue())).isEqualTo(authType);
        }
        assertThat(VrrpVersion.V2.byteValue()).isEqualTo((byte) 2);
        assertThat(AuthType.SIMPLE_TEXT.byteValue()).isEqualTo((byte) 1);
    }

    @Test
    void shouldNameTheUnknownWireByte() {
        assertThatThrownBy(() -> VrrpVersion.valueOf((byte) 4)).hasMessage("VRRP version got 4 (expected 2 or 3)");
        assertThatThrownBy(() -> AuthType.valueOf((byte) 3))
                .hasMessage("VRRP auth type got 3 (expected 0 NONE, 1 SIMPLE_TEXT or 2 IP_AH)");
    }
}
