package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class GratuitousArpTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldBuildTheFrameKeepalivedSends() throws Exception {
        MacAddress mac = new MacAddress(HEX.parseHex("265566f05b0b"));
        Inet4Address vip = (Inet4Address) InetAddress.getByName("192.0.2.200");

        // Captured with tshark from keepalived 2.2.7 announcing 192.0.2.200 from 26:55:66:f0:5b:0b.
        assertThat(HEX.formatHex(GratuitousArp.frame(mac, vip))).isEqualTo(
                "ffffffffffff" + "265566f05b0b" + "0806"
                        + "0001" + "0800" + "06" + "04" + "0001"
                        + "265566f05b0b" + "c00002c8"
                        + "ffffffffffff" + "c00002c8");
    }

    @Test
    void shouldRefuseNonEthernetHardwareAddress() throws Exception {
        Inet4Address vip = (Inet4Address) InetAddress.getByName("192.0.2.200");

        assertThatThrownBy(() -> GratuitousArp.frame(new MacAddress(new byte[0]), vip))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hardware address  has 0 bytes (expected 6: gratuitous ARP is sent on Ethernet only)");
    }
}
