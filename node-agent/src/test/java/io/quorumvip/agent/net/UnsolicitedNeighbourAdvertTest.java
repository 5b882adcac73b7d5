package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UnsolicitedNeighbourAdvertTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldAnnounceTheAddressAtOurMacToAllNodesWithOverrideAndAValidChecksum() throws Exception {
        Inet6Address vip = (Inet6Address) InetAddress.getByName("2001:db8::200");
        MacAddress mac = new MacAddress(new byte[] {2, 0, 0, 0, 0, 0x11});

        byte[] frame = UnsolicitedNeighbourAdvert.frame(mac, vip);

        assertThat(frame).hasSize(86);
        assertThat(HEX.formatHex(frame, 0, 14)).isEqualTo("333300000001" + "020000000011" + "86dd");
        assertThat(HEX.formatHex(frame, 14, 22)).as("version 6, payload 32, ICMPv6, hop limit 255")
                .isEqualTo("60000000" + "0020" + "3a" + "ff");
        assertThat(Arrays.copyOfRange(frame, 22, 38)).as("source: the VIP").isEqualTo(vip.getAddress());
        assertThat(HEX.formatHex(frame, 38, 54)).as("destination: all nodes").isEqualTo("ff020000000000000000000000000001");
        assertThat(HEX.formatHex(frame, 54, 55)).as("type 136").isEqualTo("88");
        assertThat(HEX.formatHex(frame, 58, 62)).as("Override, not Solicited, not Router").isEqualTo("20000000");
        assertThat(Arrays.copyOfRange(frame, 62, 78)).as("target: the VIP").isEqualTo(vip.getAddress());
        assertThat(HEX.formatHex(frame, 78, 86)).as("target link-layer address option").isEqualTo("0201020000000011");
        assertThat(onesComplementSum(frame)).as("checksum over pseudo-header and message verifies").isEqualTo(0xffff);
    }

    /** RFC 1071 sum of the IPv6 pseudo-header (source, destination, length 32, next header 58) and the message. */
    private static int onesComplementSum(byte[] frame) {
        long sum = 0;
        for (int i = 22; i < 54; i += 2) {
            sum += (frame[i] & 0xff) << 8 | frame[i + 1] & 0xff;
        }
        sum += 32 + 58;
        for (int i = 54; i < 86; i += 2) {
            sum += (frame[i] & 0xff) << 8 | frame[i + 1] & 0xff;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
