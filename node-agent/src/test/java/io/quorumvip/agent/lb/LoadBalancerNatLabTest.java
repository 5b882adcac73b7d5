package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The NAT acceptance with the agents: {@code lb-samples/lvs-nat-node{1,2}.conf} unchanged (HTTP_GET on rs1 and
 * rs2, MISC_CHECK with curl on rs3, weights 3:1:1, quorum 2, a sorry server), real nginx on the backend network.
 */
class LoadBalancerNatLabTest {

    private static final String URL = "http://192.0.2.220/";

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldShareByWeightAndHandOverToTheSorryServerWhenQuorumIsLost() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        lab = Lab.upWithRealServers(2, 3, Lab.Forwarding.NAT);
        var samples = lab.layout().shared().resolve("lb-samples");
        LabAgent n1 = LabAgent.start(lab, lab.node(1), Files.readString(samples.resolve("lvs-nat-node1.conf")));
        LabAgent n2 = LabAgent.start(lab, lab.node(2), Files.readString(samples.resolve("lvs-nat-node2.conf")));
        awaitCondition("n1 holds the front and the gateway VIP", LabAgent.MASTER_BOUND,
                () -> lab.node(1).holds("192.0.2.220") && lab.node(1).exec("ip", "-4", "addr", "show", "dev", "eth1")
                        .stdout().contains("198.51.100.1/"), held -> held);
        awaitCondition("all three real servers answer", Duration.ofSeconds(30),
                () -> lab.client().httpAnswers(URL, 15), a -> a.keySet().equals(Set.of("rs1", "rs2", "rs3")));

        long rs1Before = rs1Conns(n1);
        Map<String, Integer> shares = lab.client().httpAnswers(URL, 500);
        assertThat(shares).containsOnlyKeys("rs1", "rs2", "rs3");
        assertThat(shares.get("rs1")).as("weight 3 of 5: %s", shares).isBetween(275, 325);
        assertThat(shares.get("rs2")).as("weight 1 of 5: %s", shares).isBetween(75, 125);
        // rs1's counter counted each connection it answered (its checks go to it directly, not through
        // the VIP); the director without the VIP counted none.
        JsonNode rs1 = n1.status().path("virtual_servers").path(0).path("real_servers").path(0);
        assertThat(rs1.path("stats").path("conns").asLong() - rs1Before).as("rs1's Conns on n1: %s", rs1)
                .isEqualTo((long) shares.get("rs1"));
        assertThat(rs1.path("stats").path("in_pkts").isNull()).as("NAT cannot count packets").isTrue();
        assertThat(n1.metrics().value("qvip_lb_real_server_connections_total", "real_server", "198.51.100.51:80"))
                .isEqualTo(rs1.path("stats").path("conns").asDouble());
        assertThat(rs1Conns(n2)).as("the director without the VIP").isZero();
        System.out.print(LvsCommand.renderStats(n1.status()));

        lab.realServer(1).stop();
        lab.realServer(2).stop();
        awaitCondition("the sorry server answers once quorum 2 is lost (rs3 alone weighs 1)", Duration.ofSeconds(20),
                () -> lab.client().httpAnswers(URL, 5), a -> a.keySet().equals(Set.of(lab.sorryServer().name())));

        List<Event> events = LabAgent.journalRecords(LabAgent.journalDir(lab.node(1))).stream()
                .map(EventRecord::event).toList();
        assertThat(events).anyMatch(e -> e instanceof Event.VirtualServerQuorumLost)
                .anyMatch(e -> e instanceof Event.SorryServerIn)
                .anyMatch(e -> e instanceof Event.RealServerDown d && d.evidence().checker().equals("HTTP_GET"));

        lab.realServer(1).start();
        awaitCondition("the real servers serve again once quorum is back", Duration.ofSeconds(20),
                () -> lab.client().httpAnswers(URL, 10), a -> !a.containsKey(lab.sorryServer().name())
                        && !a.containsKey("FAILED"));
        assertThat(n1.status().path("virtual_servers").path(0).path("quorum_up").asBoolean()).isTrue();
        System.out.printf("NAT lab: shares over 500 new connections %s (weights 3:1:1)%n", shares);
    }

    private static long rs1Conns(LabAgent agent) {
        JsonNode vs = agent.status().path("virtual_servers").path(0);
        assertThat(vs.path("stats_error").asText()).as("stats_error").isEmpty();
        JsonNode rs1 = vs.path("real_servers").path(0);
        assertThat(rs1.path("address").asText()).isEqualTo("198.51.100.51");
        return rs1.path("stats").path("conns").asLong();
    }
}
