package io.quorumvip.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;

/**
 * The NAT data-plane shape of docs/load-balancing.md, hand-written libnftables JSON applied through {@link
 * Libnftables} in the directors' namespaces, proven with real packets: the client's curl to the VIP, real nginx
 * behind it on the backend network, replies routed back through the director that holds the gateway VIP.
 *
 * <p>The test that sends to a director without the VIP runs last: n1 forwards those SYNs and conntrack keeps them
 * for 120 s with no NAT binding, so a later connection that happens to reuse one of those client ports would reach
 * n1's own (closed) port 80 instead of a real server and be refused — seen as one failed request in 400.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatShapeLabTest {
    private static final String VIP = "192.0.2.220";
    private static final String GATEWAY = "198.51.100.1";
    private static final String URL = "http://" + VIP + "/";

    private static DirectorPair pair;

    @BeforeAll
    static void buildLab() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        pair = DirectorPair.up(Lab.Forwarding.NAT);
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @BeforeEach
    void n1HoldsBothVips() {
        DirectorPair.bind(pair.lab.node(1), VIP, "eth0");
        DirectorPair.bind(pair.lab.node(1), GATEWAY, "eth1");
        pair.clientForgetsNeighbours();
    }

    @Test
    void shouldSpreadNewConnectionsOverBothRealServersWithNumgenDnat() throws Exception {
        pair.n1.run(natTable("[[0,\"198.51.100.51\"],[1,\"198.51.100.52\"]]", 2));
        pair.n2.run(natTable("[[0,\"198.51.100.51\"],[1,\"198.51.100.52\"]]", 2));

        Map<String, Integer> answers = pair.lab.client().httpAnswers(URL, 200);

        assertThat(answers).containsOnlyKeys("rs1", "rs2");
        assertThat(answers.get("rs1")).isBetween(60, 140);
        // The nat chain sees the first packet of each connection only; conntrack does the rest.
        assertThat(pair.n1.counterPackets("ip", "qvip_lb")).contains(200L);
        assertThat(pair.n2.counterPackets("ip", "qvip_lb")).as("the director without the VIP").contains(0L);
    }

    @Test
    void shouldHonourWeightsAsContiguousRangesOfOneNumgen() throws Exception {
        pair.n1.run(natTable("[[{\"range\":[0,2]},\"198.51.100.51\"],[3,\"198.51.100.52\"]]", 4));

        Map<String, Integer> answers = pair.lab.client().httpAnswers(URL, 400);

        assertThat(answers).containsOnlyKeys("rs1", "rs2");
        assertThat(answers.get("rs1")).as("rs1's share with weights 3:1").isBetween(260, 340);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldForwardNothingWhereTheVipIsNotBoundEvenWhenTheClientStillSendsThere() throws Exception {
        pair.n1.run(natTable("[[0,\"198.51.100.51\"],[1,\"198.51.100.52\"]]", 2));
        pair.n1LosesVipButClientStillSendsThere(VIP);

        Map<String, Integer> answers = pair.lab.client().httpAnswers(URL, 5);

        assertThat(answers).containsOnlyKeys(LabHost.FAILED);
        assertThat(pair.n1.counterPackets("ip", "qvip_lb")).contains(0L);
        assertThat(pair.lab.client().canPing(pair.lab.node(1).address())).isTrue();
    }

    @Test
    void shouldChooseThroughANamedIntervalMapThatOneElementTransactionChanges() throws Exception {
        pair.n1.run(natTableWithNamedPool());

        Map<String, Integer> weighted = pair.lab.client().httpAnswers(URL, 200);
        pair.n1.run("""
                {"nftables":[
                  {"delete":{"element":{"family":"ip","table":"qvip_lb","name":"pool","elem":[3]}}},
                  {"add":{"element":{"family":"ip","table":"qvip_lb","name":"pool","elem":[[3,"198.51.100.51"]]}}}
                ]}""");
        Map<String, Integer> rs2Removed = pair.lab.client().httpAnswers(URL, 50);

        assertThat(weighted).containsOnlyKeys("rs1", "rs2");
        assertThat(weighted.get("rs1")).as("rs1's share with weights 3:1").isBetween(120, 180);
        assertThat(rs2Removed).containsOnly(Map.entry("rs1", 50));
    }

    /**
     * The NAT shape with the pool in a named interval map, so a pool change is a transaction on its elements and
     * the rule stays: libnftables 1.0.6's JSON cannot declare a map keyed by numgen (no typeof), so the choice is
     * kept in the connection's mark, which the map is keyed by.
     */
    private static String natTableWithNamedPool() {
        return natTable("""
                  {"add":{"map":{"family":"ip","table":"qvip_lb","name":"pool","type":"mark","map":"ipv4_addr",
                                 "flags":["interval"]}}},
                  {"add":{"element":{"family":"ip","table":"qvip_lb","name":"pool",
                                     "elem":[[{"range":[0,2]},"198.51.100.51"],[3,"198.51.100.52"]]}}},""", """
                    {"mangle":{"key":{"ct":{"key":"mark"}},"value":{"numgen":{"mode":"random","mod":4}}}},
                    {"dnat":{"addr":{"map":{"key":{"ct":{"key":"mark"}},"data":"@pool"}}}}""");
    }

    /**
     * The NAT shape: VIP:80, only where the VIP is a local address, one numgen over the summed weights whose
     * contiguous ranges map to real servers, dnat to the chosen one.
     */
    private static String natTable(String choices, int modulus) {
        return natTable("", """
                    {"dnat":{"addr":{"map":{"key":{"numgen":{"mode":"random","mod":%d}},
                                            "data":{"set":%s}}}}}""".formatted(modulus, choices));
    }

    /** The table rebuilt in one transaction: {@code objects} (ending with a comma), the rule ending in {@code choice}. */
    private static String natTable(String objects, String choice) {
        return """
                {"nftables":[
                  {"add":{"table":{"family":"ip","name":"qvip_lb"}}},
                  {"delete":{"table":{"family":"ip","name":"qvip_lb"}}},
                  {"add":{"table":{"family":"ip","name":"qvip_lb"}}},
                  {"add":{"chain":{"family":"ip","table":"qvip_lb","name":"prerouting","type":"nat",
                                   "hook":"prerouting","prio":-100,"policy":"accept"}}},
                %s
                  {"add":{"rule":{"family":"ip","table":"qvip_lb","chain":"prerouting","expr":[
                    {"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"%s"}},
                    {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":80}},
                    {"match":{"op":"==","left":{"fib":{"result":"type","flags":["daddr"]}},"right":"local"}},
                    {"counter":{"packets":0,"bytes":0}},
                %s
                  ]}}}
                ]}""".formatted(objects, VIP, choice);
    }
}
