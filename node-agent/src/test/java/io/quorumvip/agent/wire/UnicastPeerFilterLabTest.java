package io.quorumvip.agent.wire;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.agent.MetricSamples;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.vrrp.AuthType;
import io.quorumvip.vrrp.Ipv4Datagrams;
import io.quorumvip.vrrp.VrrpPacket;
import io.quorumvip.vrrp.VrrpVersion;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents in unicast mode (the pair samples with {@code unicast_src_ip} and {@code unicast_peer}); a stranger on
 * the link (the client, 192.0.2.100) sends valid adverts of priority 254 for their VRID, to each node and to the
 * multicast group. They must be dropped as NOT_A_UNICAST_PEER, and the VIP must stay where it was. Without the
 * filter, one such advert makes the master step down (CraftedPacketsTest shows it).
 */
class UnicastPeerFilterLabTest {

    private static final String VIP = "192.0.2.200";
    private static final String DROPPED = "qvip_vrrp_packets_dropped_total";
    private static final String TRANSITIONS = "qvip_vrrp_transitions_total";
    private static final Duration BOUND = Duration.ofSeconds(15);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    @Test
    void shouldDropAStrangersHigherPriorityAdvertsAndKeepTheVipWhereItIs() throws InterruptedException {
        try (Lab lab = Lab.up(2)) {
            LabAgent n1 = LabAgent.start(lab, lab.node(1), unicast(lab, "pair-node1.conf", "192.0.2.11", "192.0.2.12"));
            n1.awaitMaster();
            LabAgent n2 = LabAgent.start(lab, lab.node(2), unicast(lab, "pair-node2.conf", "192.0.2.12", "192.0.2.11"));
            // n2 hears n1 only if n1's adverts come from its unicast_src_ip, the one address n2 takes them from.
            awaitCondition("n2 BACKUP, hearing n1 over unicast", BOUND, () -> n2.state("VI_1"), "BACKUP"::equals);

            Inet4Address stranger = CraftedAdverts.ipv4(lab.client().address());
            for (int round = 0; round < 3; round++) {
                CraftedAdverts.inject(lab.client(), List.of(advert(stranger, "192.0.2.11"),
                        advert(stranger, "192.0.2.12"), advert(stranger, "224.0.0.18")));
                Thread.sleep(1000);
            }

            MetricSamples n1Metrics = awaitCondition("n1 counts the stranger's adverts", BOUND, n1::metrics,
                    m -> m.value(DROPPED, "interface", "eth0", "reason", "NOT_A_UNICAST_PEER") >= 3);
            MetricSamples n2Metrics = awaitCondition("n2 counts the stranger's adverts", BOUND, n2::metrics,
                    m -> m.value(DROPPED, "interface", "eth0", "reason", "NOT_A_UNICAST_PEER") >= 3);
            assertThat(n1Metrics.value(TRANSITIONS, "from", "MASTER")).as("times n1 left MASTER").isZero();
            assertThat(n2Metrics.value(TRANSITIONS, "to", "MASTER")).as("times n2 became MASTER").isZero();
            assertThat(n1.stateSummary()).isEqualTo("MASTER vip_owned=true");
            assertThat(lab.vipHolders(VIP)).as("kernels holding " + VIP).isEqualTo(Set.of("n1"));
        }
    }

    /** The pair sample in unicast mode: adverts from {@code source}, to and only from {@code peer}. */
    private static String unicast(Lab lab, String sample, String source, String peer) {
        String config = LabAgent.sampleConfig(lab, sample);
        assertThat(config).contains("    interface eth0\n");
        return config.replace("    interface eth0\n", "    interface eth0\n    unicast_src_ip " + source
                + "\n    unicast_peer {\n        " + peer + "\n    }\n");
    }

    /** What the pair's master would send (VRID 66, PASS 1111, the VIP), but with priority 254 from a stranger. */
    private static byte[] advert(Inet4Address source, String destination) {
        return Ipv4Datagrams.of(new VrrpPacket(VrrpVersion.V2, CraftedAdverts.VRID, CraftedAdverts.PRIORITY, 100,
                List.of(CraftedAdverts.VIP), AuthType.SIMPLE_TEXT, CraftedAdverts.PASSWORD, source,
                CraftedAdverts.ipv4(destination), 255));
    }
}
