package io.quorumvip.agent.wire;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.agent.MetricSamples;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our agent alone on n1, MASTER of VRID 66 with priority 150; n2 puts crafted adverts of priority 254 on the wire.
 * Every defective one must be dropped and counted under its reason, leaving n1 MASTER with the VIP; the valid one
 * must make n1 step down, which shows that the injected packets do reach the agent.
 */
class CraftedPacketsTest {

    private static final String VIP = "192.0.2.200";
    private static final String DROPPED = "qvip_vrrp_packets_dropped_total";
    private static final String RECEIVED = "qvip_vrrp_adverts_received_total";
    private static final String TRANSITIONS = "qvip_vrrp_transitions_total";
    /** Generous: a datagram on a bridge between namespaces arrives in microseconds. */
    private static final Duration ARRIVAL_BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    @Test
    void shouldDropEveryDefectiveAdvertUnderItsReasonAndStayMasterWithTheVip() {
        try (Lab lab = Lab.up(2)) {
            LabAgent agent = masterOnN1(lab);
            List<CraftedAdverts.Crafted> crafted = CraftedAdverts.defective(source(lab.node(2)));

            CraftedAdverts.inject(lab.node(2), crafted.stream().map(CraftedAdverts.Crafted::datagram).toList());

            // Counted either way, so a defect that gets through fails below naming itself, not as a time-out.
            MetricSamples metrics = awaitCondition("each of " + crafted.size() + " crafted adverts counted as dropped"
                    + " or received", ARRIVAL_BOUND, agent::metrics,
                    m -> m.value(DROPPED) + m.value(RECEIVED) >= crafted.size());
            SoftAssertions softly = new SoftAssertions();
            for (CraftedAdverts.Crafted advert : crafted) {
                softly.assertThat(metrics.value(DROPPED, "interface", "eth0", "reason", advert.reason().name()))
                        .as("drops counted under %s for %s; metrics:%n%s", advert.reason(), advert.defect(), metrics)
                        .isEqualTo(1.0);
            }
            softly.assertThat(metrics.value(DROPPED)).as("all drops").isEqualTo(crafted.size());
            softly.assertThat(metrics.value(RECEIVED, "instance", "VI_1")).as("valid adverts received").isZero();
            softly.assertThat(metrics.value(TRANSITIONS, "from", "MASTER")).as("times n1 left MASTER").isZero();
            softly.assertThat(agent.stateSummary()).isEqualTo("MASTER vip_owned=true");
            softly.assertThat(lab.node(1).holds(VIP)).as("n1's kernel holds " + VIP).isTrue();
            softly.assertAll();
        }
    }

    @Test
    void shouldStepDownWhenTheSameInjectorSendsAValidAdvertWithAHigherPriority() {
        try (Lab lab = Lab.up(2)) {
            LabAgent agent = masterOnN1(lab);
            double takeOvers = agent.metrics().value(TRANSITIONS, "from", "BACKUP", "to", "MASTER");

            CraftedAdverts.inject(lab.node(2), List.of(CraftedAdverts.valid(source(lab.node(2)))));

            MetricSamples metrics = awaitCondition("n1 steps down from MASTER to BACKUP", ARRIVAL_BOUND,
                    agent::metrics, m -> m.value(TRANSITIONS, "from", "MASTER", "to", "BACKUP") == 1);
            assertThat(metrics.value(RECEIVED, "instance", "VI_1")).as("valid adverts received").isEqualTo(1);
            assertThat(metrics.value(DROPPED)).as("drops; metrics:%n%s", metrics).isZero();
            // With nobody advertising afterwards, n1 takes over again: the step-down really came from the advert.
            agent.awaitMaster();
            assertThat(agent.metrics().value(TRANSITIONS, "from", "BACKUP", "to", "MASTER")).as("take-overs")
                    .isEqualTo(takeOvers + 1);
            assertThat(lab.node(1).holds(VIP)).as("n1's kernel holds " + VIP + " again").isTrue();
        }
    }

    private static LabAgent masterOnN1(Lab lab) {
        LabAgent agent = LabAgent.start(lab, lab.node(1), LabAgent.pairNode1Config(lab));
        agent.awaitMaster();
        assertThat(lab.node(1).holds(VIP)).as("n1's kernel holds " + VIP).isTrue();
        return agent;
    }

    private static Inet4Address source(LabHost host) {
        return CraftedAdverts.ipv4(host.address());
    }
}
