package io.quorumvip.agent.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.CommandResult;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our agent as MASTER on n1, its adverts captured live on n2 and judged by Wireshark's VRRP dissector: what a
 * keepalived peer or an operator's capture sees, not what our own codec believes it wrote.
 */
class AdvertOnTheWireTest {

    private static final int FRAMES = 3;

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl", "tshark");
    }

    @Test
    void shouldSendV2AdvertsThatTsharkDissectsLikeKeepalivedsWithCorrectChecksums() {
        try (Lab lab = Lab.up(2)) {
            LabAgent.start(lab, lab.node(1), LabAgent.pairNode1Config(lab)).awaitMaster();

            List<String> frames = captureAdverts(lab.node(2));

            for (String frame : frames) {
                SoftAssertions softly = new SoftAssertions();
                softly.assertThat(frame)
                        .contains("Differentiated Services Field: 0xc0 (DSCP: CS6, ECN: Not-ECT)")
                        .contains("Time to Live: 255")
                        .contains("Protocol: VRRP (112)")
                        .contains("Source Address: " + lab.node(1).address())
                        .contains("Destination Address: 224.0.0.18")
                        .contains("VRRP protocol version: 2")
                        .contains("VRRP packet type: Advertisement (1)")
                        .contains("Virtual Rtr ID: 66")
                        .contains("Priority: 150")
                        .contains("Addr Count: 1")
                        .contains("Auth Type: Simple Text Authentication [RFC 2338] / Reserved [RFC 3768] (1)")
                        .contains("Adver Int: 1\n")
                        .containsPattern("Checksum: 0x[0-9a-f]{4} \\[correct]")
                        .contains("[Checksum Status: Good]")
                        .contains("IP Address: 192.0.2.200")
                        .contains("Authentication String: 1111");
                softly.assertAll();
            }
        }
    }

    @Test
    void shouldSendV3AdvertsWithIntervalInCentisecondsAndThePseudoHeaderChecksumCorrect() {
        try (Lab lab = Lab.up(2)) {
            LabAgent.start(lab, lab.node(1), asVersion3(LabAgent.pairNode1Config(lab))).awaitMaster();

            List<String> frames = captureAdverts(lab.node(2));

            for (String frame : frames) {
                SoftAssertions softly = new SoftAssertions();
                softly.assertThat(frame)
                        .contains("Differentiated Services Field: 0xc0 (DSCP: CS6, ECN: Not-ECT)")
                        .contains("Time to Live: 255")
                        .contains("Source Address: " + lab.node(1).address())
                        .contains("Destination Address: 224.0.0.18")
                        .contains("VRRP protocol version: 3")
                        .contains("VRRP packet type: Advertisement (1)")
                        .contains("Virtual Rtr ID: 66")
                        .contains("Priority: 150")
                        .contains("Addr Count: 1")
                        .contains("Adver Int: 100\n")
                        .containsPattern("Checksum: 0x[0-9a-f]{4} \\[correct]")
                        .contains("[Checksum Status: Good]")
                        .contains("IP Address: 192.0.2.200")
                        .doesNotContain("Authentication String");
                softly.assertAll();
            }
        }
    }

    /**
     * Captures {@value #FRAMES} VRRP frames on {@code host}'s eth0 and returns tshark's detailed dissection of each.
     * VRRPv3 checksums include the pseudo-header (RFC 5798 §5.2.8); the preference says so explicitly rather than
     * trusting tshark's default.
     */
    private static List<String> captureAdverts(LabHost host) {
        CommandResult tshark = host.exec("tshark", "-i", "eth0", "-f", "ip proto 112", "-c", Integer.toString(FRAMES),
                "-a", "duration:10", "-V", "-o", "vrrp.v3_checksum_as_in_v2:FALSE", "-o", "ip.check_checksum:TRUE")
                .requireSuccess();
        List<String> frames = Arrays.stream(tshark.stdout().split("(?m)^(?=Frame \\d+:)"))
                .filter(frame -> frame.startsWith("Frame "))
                .toList();
        assertThat(frames).as("frames captured on %s; tshark printed:%n%s%s", host.name(), tshark.stdout(),
                tshark.stderr()).hasSize(FRAMES);
        return frames;
    }

    /**
     * The same config with {@code vrrp_version 3} in global_defs. Its authentication block stays: VRRPv3 has none,
     * and the agent ignores it with a warning, as keepalived does.
     */
    private static String asVersion3(String config) {
        String version3 = config.replace("global_defs {\n", "global_defs {\n   vrrp_version 3\n");
        assertThat(version3).as("pair-node1.conf has a global_defs block to add vrrp_version to").isNotEqualTo(config);
        return version3;
    }
}
