package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The DR acceptance of the load-balancing issue with the agents themselves: {@code lb-samples/lvs-dr-node{1,2}.conf}
 * unchanged on two directors, real nginx on rs1 and rs2, the client's curl to the VIP (a new connection each).
 */
class LoadBalancerDrLabTest {

    private static final String VIP = "192.0.2.210";
    private static final String URL = "http://" + VIP + "/";
    /** The sample: delay_loop 6, connect_timeout 3, nb_get_retry 3, delay_before_retry 3 (+ 1 s, the bound). */
    private static final Duration LEAVE_BOUND = Duration.ofSeconds(6 + 4 * 3 + 3 * 3 + 1);

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private String sample(String name) throws IOException {
        return Files.readString(lab.layout().shared().resolve("lb-samples").resolve(name));
    }

    @Test
    void shouldSpreadOverBothRealServersDropTheOneWhoseNginxStopsAndTakeItBack() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        lab = Lab.upWithRealServers(2, 2, Lab.Forwarding.DR);
        LabAgent n1 = LabAgent.start(lab, lab.node(1), sample("lvs-dr-node1.conf"));
        LabAgent.start(lab, lab.node(2), sample("lvs-dr-node2.conf"));
        awaitCondition("n1 holds the VIP", LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP),
                holders -> holders.equals(Set.of(lab.node(1).name())));
        awaitCondition("both real servers answer through the VIP", Duration.ofSeconds(30),
                () -> lab.client().httpAnswers(URL, 10), answers -> answers.keySet().equals(Set.of("rs1", "rs2")));

        JsonNode rs2Before = rs2Stats(n1);
        Map<String, Integer> spread = lab.client().httpAnswers(URL, 200);
        assertThat(spread).containsOnlyKeys("rs1", "rs2");
        assertThat(spread.get("rs1")).as("rr over 200 new connections: %s", spread).isBetween(70, 130);
        // The stateless ingress chain counts every packet from the client (a curl: SYN, ACK, GET, FIN, ACKs) and
        // no connections.
        JsonNode rs2 = rs2Stats(n1);
        long packets = rs2.path("in_pkts").asLong() - rs2Before.path("in_pkts").asLong();
        long bytes = rs2.path("in_bytes").asLong() - rs2Before.path("in_bytes").asLong();
        assertThat(packets).as("rs2's InPkts for %d connections", spread.get("rs2"))
                .isBetween(4L * spread.get("rs2"), 12L * spread.get("rs2"));
        assertThat(bytes).as("rs2's InBytes").isBetween(52L * packets, 200L * packets);
        assertThat(rs2.path("conns").isNull()).as("DR keeps no connection state").isTrue();
        assertThat(n1.metrics().value("qvip_lb_real_server_in_packets_total", "real_server", "192.0.2.52:80"))
                .isEqualTo(rs2.path("in_pkts").asDouble());

        // A checker's first result decides at once (keepalived's rule), so rs1 must have been checked up before its
        // nginx stops; otherwise one failure takes it out and the retry+1 failures asserted below never happen.
        awaitCondition("n1 has checked rs1 once", Duration.ofSeconds(6 + 3 + 5), () -> n1.metrics()
                .value("qvip_lb_checks_total", "real_server", "192.0.2.51:80", "result", "success"), n -> n >= 1);
        long stoppedAt = System.nanoTime();
        lab.realServer(1).stop();
        awaitCondition("rs1 out of n1's pool", LEAVE_BOUND, () -> n1.status().path("virtual_servers").path(0)
                .path("real_servers").path(0).path("in_pool").asBoolean(), inPool -> !inPool);
        Duration left = Duration.ofNanos(System.nanoTime() - stoppedAt);
        // The status shows the decision; the pool change is journaled once nftables applied it, a moment later.
        awaitCondition("n1's kernel program without rs1 (its PoolChanged journaled)", Duration.ofSeconds(10),
                () -> LabAgent.journalRecords(LabAgent.journalDir(lab.node(1))).stream().map(EventRecord::event)
                        .filter(e -> e instanceof Event.PoolChanged).map(e -> (Event.PoolChanged) e)
                        .reduce((first, second) -> second).orElseThrow().members().stream()
                        .noneMatch(m -> m.endpoint().equals("192.0.2.51:80")), applied -> applied);
        Map<String, Integer> afterStop = lab.client().httpAnswers(URL, 50);
        assertThat(afterStop).as("no request fails once rs1 is out").containsOnly(Map.entry("rs2", 50));

        lab.realServer(1).start();
        long startedAt = System.nanoTime();
        awaitCondition("rs1 back in the pool", Duration.ofSeconds(6 + 1 + 5), () -> n1.status()
                .path("virtual_servers").path(0).path("real_servers").path(0).path("in_pool").asBoolean(), in -> in);
        Duration back = Duration.ofNanos(System.nanoTime() - startedAt);
        assertThat(lab.client().httpAnswers(URL, 20)).containsOnlyKeys("rs1", "rs2");
        String view = LvsCommand.render(n1.status());
        assertThat(view).contains("TCP  192.0.2.210:80 rr").contains("-> 192.0.2.51:80                Route   1      up");
        System.out.print(view);
        assertThat(n1.metrics().value("qvip_lb_real_server_up", "real_server", "192.0.2.51:80")).isEqualTo(1.0);
        assertThat(n1.metrics().value("qvip_lb_checks_total", "real_server", "192.0.2.51:80", "result", "failure"))
                .isGreaterThanOrEqualTo(4.0);

        Event.RealServerDown down = LabAgent.journalRecords(LabAgent.journalDir(lab.node(1))).stream()
                .map(EventRecord::event).filter(e -> e instanceof Event.RealServerDown)
                .map(e -> (Event.RealServerDown) e).findFirst().orElseThrow();
        assertThat(down.realServer()).isEqualTo("192.0.2.51:80");
        assertThat(down.evidence().detail()).isEqualTo("connect refused");
        assertThat(down.evidence().consecutive()).isEqualTo(4);
        System.out.print(LvsCommand.renderStats(n1.status()));
        System.out.printf("DR lab: rs1 share %d/200, left the pool %.1f s after nginx stopped (bound %d s), "
                + "back %.1f s after it started; rs2 counted %.1f packets and %.0f bytes in per connection%n",
                spread.get("rs1"), left.toMillis() / 1000.0, LEAVE_BOUND.toSeconds(), back.toMillis() / 1000.0,
                (double) packets / spread.get("rs2"), (double) bytes / spread.get("rs2"));
    }

    private static JsonNode rs2Stats(LabAgent agent) {
        JsonNode vs = agent.status().path("virtual_servers").path(0);
        assertThat(vs.path("stats_error").asText()).as("stats_error").isEmpty();
        JsonNode rs2 = vs.path("real_servers").path(1);
        assertThat(rs2.path("address").asText()).isEqualTo("192.0.2.52");
        return rs2.path("stats");
    }
}
