package io.quorumvip.forensics.wire;

import static io.quorumvip.forensics.wire.WireFrames.N1;
import static io.quorumvip.forensics.wire.WireFrames.N1_MAC;
import static io.quorumvip.forensics.wire.WireFrames.N2;
import static io.quorumvip.forensics.wire.WireFrames.N2_MAC;
import static io.quorumvip.forensics.wire.WireFrames.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.vrrp.AuthType;
import io.quorumvip.vrrp.VrrpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireEvidenceTest {

    private static final long T0 = 1_763_700_000_000_000L;

    @Test
    void decoderShouldReadAKeepalivedAdvertFromAPaddedFrameWithoutRevealingItsPassword() {
        byte[] frame = WireFrames.advert(N1, N1_MAC, 150);
        assertThat(frame).hasSize(60);

        WireRecord.Advert advert = (WireRecord.Advert) decode(frame).orElseThrow();

        assertThat(advert.packet().version()).isEqualTo(VrrpVersion.V2);
        assertThat(advert.packet().vrid()).isEqualTo(51);
        assertThat(advert.packet().priority()).isEqualTo(150);
        assertThat(advert.packet().advertIntervalCentis()).isEqualTo(100);
        assertThat(advert.packet().addresses()).containsExactly(VIP);
        assertThat(advert.packet().authType()).isEqualTo(AuthType.SIMPLE_TEXT);
        assertThat(advert.packet().authPassword()).isEmpty();
        assertThat(advert.sender()).isEqualTo("192.0.2.11");
    }

    @Test
    void decoderShouldReadArpRequestsRepliesAndGratuitousOnes() {
        WireRecord.Arp gratuitous = (WireRecord.Arp) decode(WireFrames.arp(1, VIP, N2_MAC, VIP)).orElseThrow();
        WireRecord.Arp reply = (WireRecord.Arp) decode(WireFrames.arp(2, VIP, N1_MAC, N2)).orElseThrow();

        assertThat(gratuitous.gratuitous()).isTrue();
        assertThat(gratuitous.reply()).isFalse();
        assertThat(gratuitous.senderMac()).isEqualTo("02:00:00:00:00:12");
        assertThat(reply.gratuitous()).isFalse();
        assertThat(reply.reply()).isTrue();
        assertThat(reply.targetAddress()).isEqualTo(N2);
    }

    @Test
    void decoderShouldReadANeighbourAdvertWithItsTargetAndLinkAddress() {
        byte[] frame = WireFrames.neighbourAdvert(WireFrames.ipv6("fe80::12"), WireFrames.ipv6("2001:db8::200"),
                N2_MAC);

        WireRecord.NeighbourAdvert na = (WireRecord.NeighbourAdvert) decode(frame).orElseThrow();

        assertThat(na.target()).isEqualTo(WireFrames.ipv6("2001:db8::200"));
        assertThat(na.mac()).isEqualTo("02:00:00:00:00:12");
        assertThat(na.override()).isTrue();
    }

    @Test
    void decoderShouldLeaveOutOtherTrafficAndDamagedAdverts() {
        byte[] damaged = WireFrames.advert(N1, N1_MAC, 150);
        damaged[14 + 20 + 2] = 99;
        byte[] udp = WireFrames.ethernet(N1_MAC, N2_MAC, 0x0800, new byte[40]);
        udp[14] = 0x45;
        udp[14 + 9] = 17;

        assertThat(decode(damaged)).as("priority changed after the checksum was computed").isEmpty();
        assertThat(decode(udp)).isEmpty();
        assertThat(decode(new byte[10])).isEmpty();
        assertThat(decode(WireFrames.ethernet(N1_MAC, N2_MAC, 0x88cc, new byte[46]))).isEmpty();
    }

    /**
     * n1 (priority 150) advertises every second but falls silent from 3 s to 10 s (its side of a partition); n2
     * takes over, advertises with 100 and announces the address; both nodes capture. Outside the window, and
     * about another VRID or address, nothing counts.
     */
    @Test
    void summaryShouldNameEachSenderItsPrioritiesWhoSawItAndTheSilenceOfThePartitionedOne() {
        List<CapturedFrame> frames = new ArrayList<>();
        for (int second = 0; second <= 20; second++) {
            if (second < 3 || second >= 10) {
                frames.add(frame("n1@eth0", second * 1000L, WireFrames.advert(N1, N1_MAC, 150)));
                frames.add(frame("n2@eth0", second * 1000L + 1, WireFrames.advert(N1, N1_MAC, 150)));
            } else {
                frames.add(frame("n2@eth0", second * 1000L + 500, WireFrames.advert(N2, N2_MAC, 100)));
            }
        }
        frames.add(frame("n2@eth0", 3001, WireFrames.arp(1, VIP, N2_MAC, VIP)));
        frames.add(frame("n2@eth0", 10_002, WireFrames.advert(N2, N2_MAC, 0)));
        frames.add(frame("n1@eth0", 5000, WireFrames.arp(1, N1, N1_MAC, WireFrames.ipv4("192.0.2.99"))));
        WireEvidence evidence = WireEvidence.of(frames);
        WireEvidence.Window window = new WireEvidence.Window(T0 + 1_500_000, T0 + 12_500_000, 51, Set.of());

        List<SenderSummary> summaries = WireEvidence.summarise(evidence.select(window), window);

        assertThat(summaries).extracting(SenderSummary::what).containsExactly(
                "VRRPv2 advert from 192.0.2.11 VRID 51 every 1000 ms",
                "gratuitous ARP request 192.0.2.200 is-at 02:00:00:00:00:12",
                "VRRPv2 advert from 192.0.2.12 VRID 51 every 1000 ms");
        SenderSummary n1 = summaries.get(0);
        assertThat(n1.priorities()).containsExactly(150);
        assertThat(n1.sent()).isEqualTo(4);
        assertThat(n1.seenBy()).isEqualTo(Map.of("n1@eth0", 4, "n2@eth0", 4));
        assertThat(n1.silenceFromMicros()).isEqualTo(T0 + 2_001_000);
        assertThat(n1.silenceToMicros()).isEqualTo(T0 + 10_000_000);
        SenderSummary n2 = summaries.get(2);
        assertThat(n2.priorities()).containsExactly(100, 0);
        assertThat(n2.seenBy()).isEqualTo(Map.of("n2@eth0", 8));
        assertThat(n2.text()).startsWith("VRRPv2 advert from 192.0.2.12 VRID 51 every 1000 ms priorities 100, 0: "
                + "8 frames ").contains("(seen by n2@eth0 8); longest silence ");
        assertThat(summaries.get(1).text()).contains("1 frame 04:40:03.001 (seen by n2@eth0 1)")
                .doesNotContain("silence");
    }

    @Test
    void selectionShouldBeEmptyForAWindowAboutNoVridAndNoAddress() {
        WireEvidence evidence = WireEvidence.of(List.of(frame("n1@eth0", 0, WireFrames.advert(N1, N1_MAC, 150))));

        assertThat(evidence.select(new WireEvidence.Window(T0 - 1, T0 + 1, 0, Set.of()))).isEmpty();
        assertThat(evidence.select(new WireEvidence.Window(T0 - 1, T0 + 1, 52, Set.of()))).isEmpty();
        assertThat(evidence.select(new WireEvidence.Window(T0 + 1, T0 + 2, 51, Set.of()))).isEmpty();
        assertThat(evidence.select(new WireEvidence.Window(T0, T0, 51, Set.of()))).hasSize(1);
    }

    static CapturedFrame frame(String capture, long ms, byte[] bytes) {
        return new CapturedFrame(capture, T0 + ms * 1000, bytes);
    }

    private static Optional<WireRecord> decode(byte[] frame) {
        return WireDecoder.decode(new CapturedFrame("n1@eth0", T0, frame));
    }
}
