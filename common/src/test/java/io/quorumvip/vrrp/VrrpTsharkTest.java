package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpCodecEncodeTest.NODE_11;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_200;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_201;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lets Wireshark's own VRRP dissector judge what the codec writes: fields and checksums. */
class VrrpTsharkTest {

    @TempDir
    Path temp;

    @Test
    void tsharkShouldDissectOurV2AdvertLikeKeepalivedsWithACorrectChecksum() throws Exception {
        VrrpPacket advert = VrrpPacket.v2Advert(51, 100, 1, List.of(VIP_200), AuthType.SIMPLE_TEXT, "1111", NODE_11);

        String dissection = dissect(Ipv4Datagrams.of(advert));

        assertThat(dissection)
                .contains("Header checksum status: Good")
                .contains("Time to Live: 255")
                .contains("Virtual Router Redundancy Protocol")
                .contains("VRRP protocol version: 2")
                .contains("VRRP packet type: Advertisement (1)")
                .contains("Virtual Rtr ID: 51")
                .contains("Priority: 100")
                .contains("Addr Count: 1")
                .contains("Auth Type: Simple Text Authentication [RFC 2338] / Reserved [RFC 3768] (1)")
                .contains("Adver Int: 1")
                .contains("Checksum: 0x549f [correct]")
                .contains("[Checksum Status: Good]")
                .contains("IP Address: 192.0.2.200")
                .contains("Authentication String: 1111");
    }

    @Test
    void tsharkShouldDissectOurV3AdvertWithItsPseudoHeaderChecksumCorrect() throws Exception {
        VrrpPacket advert = VrrpPacket.v3Advert(60, 254, 35, List.of(VIP_200, VIP_201), NODE_11);

        String dissection = dissect(Ipv4Datagrams.of(advert));

        assertThat(dissection)
                .contains("VRRP protocol version: 3")
                .contains("Virtual Rtr ID: 60")
                .contains("Priority: 254")
                .contains("Addr Count: 2")
                .contains("Adver Int: 35")
                .contains("Checksum: 0xa86c [correct]")
                .contains("[Checksum Status: Good]")
                .contains("IP Address: 192.0.2.200")
                .contains("IP Address: 192.0.2.201");
    }

    @Test
    void tsharkShouldFlagACorruptedChecksum() throws Exception {
        byte[] datagram = Ipv4Datagrams.of(VrrpPacket.v3Advert(60, 254, 35, List.of(VIP_200), NODE_11));
        datagram[20 + 7] ^= 1;

        String dissection = dissect(datagram);

        assertThat(dissection)
                .contains("Checksum: 0x6b3a incorrect, should be 0x6b3b")
                .contains("[Checksum Status: Bad]");
    }

    private String dissect(byte[] datagram) throws IOException, InterruptedException {
        assumeTrue(tsharkInstalled(), "tshark is not installed (apt-get install tshark) so Wireshark cannot judge");
        Path capture = temp.resolve("advert.pcap");
        PcapFiles.writeRawIp(capture, List.of(datagram));
        Path output = temp.resolve("tshark.txt");
        Process tshark = new ProcessBuilder("tshark", "-r", capture.toString(), "-V",
                "-o", "vrrp.v3_checksum_as_in_v2:FALSE", "-o", "ip.check_checksum:TRUE")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).as("tshark finished within 60 s").isTrue();
            String dissection = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(tshark.exitValue()).as("tshark exit status; output:%n%s", dissection).isZero();
            return dissection;
        } finally {
            tshark.destroyForcibly();
        }
    }

    private static boolean tsharkInstalled() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "tshark"))) {
                return true;
            }
        }
        return false;
    }
}
