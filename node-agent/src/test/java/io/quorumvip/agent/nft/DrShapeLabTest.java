package io.quorumvip.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quorumvip.agent.net.NamespaceThread;
import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;

/**
 * The DR data-plane shape of docs/load-balancing.md, hand-written libnftables JSON applied through {@link
 * Libnftables} in the directors' namespaces, proven with real packets: a netdev ingress chain on the director's
 * eth0 rewrites both MACs and sends the frame back out to the real server, which answers the client directly.
 */
class DrShapeLabTest {
    private static final String URL_PATH = "/";
    private static final int SEED = 0x51;

    private static DirectorPair pair;
    private static String vip;

    @BeforeAll
    static void buildLab() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        pair = DirectorPair.up(Lab.Forwarding.DR);
        vip = pair.lab.drVip().orElseThrow();
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @BeforeEach
    void n1HoldsTheVip() {
        DirectorPair.unbind(pair.lab.node(2), vip, "eth0");
        DirectorPair.bind(pair.lab.node(1), vip, "eth0");
        pair.clientForgetsNeighbours();
    }

    @Test
    void shouldSpreadFlowsOverBothRealServersByRewritingBothMacsAndForwarding() throws Exception {
        pair.n1.run(drTable(pair.lab.node(1)));
        pair.n2.run(drTable(pair.lab.node(2)));

        Map<String, Integer> answers = pair.lab.client().httpAnswers("http://" + vip + URL_PATH, 200);

        assertThat(answers).containsOnlyKeys("rs1", "rs2");
        assertThat(answers.get("rs1")).isBetween(60, 140);
        // Every packet from the client to the VIP passes the stateless chain: at least SYN, ACK, request, FIN, ACK.
        assertThat(pair.n1.counterPackets("netdev", "qvip_lb"))
                .hasValueSatisfying(packets -> assertThat(packets).isGreaterThan(800));
        assertThat(pair.n2.counterPackets("netdev", "qvip_lb")).as("the director without the VIP").contains(0L);
    }

    @Test
    void shouldForwardNothingWhereTheVipIsNotBoundEvenWhenTheClientStillSendsThere() throws Exception {
        pair.n1.run(drTable(pair.lab.node(1)));
        pair.n1LosesVipButClientStillSendsThere(vip);

        Map<String, Integer> answers = pair.lab.client().httpAnswers("http://" + vip + URL_PATH, 5);

        assertThat(answers).containsOnlyKeys(LabHost.FAILED);
        assertThat(pair.n1.counterPackets("netdev", "qvip_lb")).contains(0L);
        assertThat(pair.lab.client().httpAnswers("http://" + pair.lab.realServer(1).address() + URL_PATH, 3))
                .as("the client straight to rs1, past the director's chain").containsOnly(Map.entry("rs1", 3));
    }

    @Test
    void shouldKeepEstablishedConnectionsOnTheirRealServerWhenTheVipMovesToADirectorHashingWithTheSameSeed()
            throws Exception {
        pair.n1.run(drTable(pair.lab.node(1)));
        pair.n2.run(drTable(pair.lab.node(2)));

        Map<Integer, String> after = answersAcrossAVipMove(20);

        assertThat(after).doesNotContainValue(LabHost.FAILED).isEqualTo(firstAnswers);
        assertThat(pair.n2.counterPackets("netdev", "qvip_lb"))
                .hasValueSatisfying(packets -> assertThat(packets).isPositive());
    }

    @Test
    void shouldBreakEstablishedConnectionsWhenTheDirectorsHashWithDifferentSeeds() throws Exception {
        pair.n1.run(drTable(pair.lab.node(1)));
        pair.n2.run(drTable(pair.lab.node(2), SEED + 1));

        Map<Integer, String> after = answersAcrossAVipMove(20);

        // Each connection lands on either real server by n2's own hash: all 20 staying put has odds 2^-20.
        assertThat(after).isNotEqualTo(firstAnswers).containsValue(LabHost.FAILED);
    }

    private Map<Integer, String> firstAnswers;

    /**
     * Opens {@code count} kept-alive HTTP connections from the client to the VIP while n1 owns it, asks once on each
     * (kept in {@link #firstAnswers}), moves the VIP to n2 (the client's ARP entry follows, as a gratuitous ARP
     * would make it), and asks again on each: returns who answered, or FAILED for a connection that broke.
     */
    private Map<Integer, String> answersAcrossAVipMove(int count) throws Exception {
        try (NamespaceThread client = NamespaceThread.enter(pair.lab.client().namespace());
                KeptAliveConnections connections = client.call(() -> KeptAliveConnections.open(vip, count))) {
            firstAnswers = client.call(connections::askEach);
            assertThat(firstAnswers).doesNotContainValue(LabHost.FAILED);
            HostCommand.run("ip", "-n", pair.lab.node(1).namespace(), "addr", "del", vip + "/24", "dev", "eth0")
                    .requireSuccess();
            DirectorPair.bind(pair.lab.node(2), vip, "eth0");
            HostCommand.run("ip", "-n", pair.lab.client().namespace(), "neigh", "replace", vip, "lladdr",
                    pair.lab.node(2).mac(), "dev", "eth0").requireSuccess();
            return client.call(connections::askEach);
        }
    }

    private String drTable(LabHost director) {
        return drTable(director, SEED);
    }

    /**
     * The DR shape: a netdev ingress chain on eth0 matching VIP:80 where the VIP is a local address; the source MAC
     * becomes the director's own (or the bridge learns the client's MAC on the director's port), the destination
     * MAC the real server chosen by a hash of the flow with an explicit seed (so every director chooses alike and a
     * flow never splits), and the frame goes back out of eth0.
     */
    private String drTable(LabHost director, int seed) {
        return """
                {"nftables":[
                  {"add":{"table":{"family":"netdev","name":"qvip_lb"}}},
                  {"delete":{"table":{"family":"netdev","name":"qvip_lb"}}},
                  {"add":{"table":{"family":"netdev","name":"qvip_lb"}}},
                  {"add":{"chain":{"family":"netdev","table":"qvip_lb","name":"ingress_eth0","type":"filter",
                                   "hook":"ingress","dev":"eth0","prio":0,"policy":"accept"}}},
                  {"add":{"rule":{"family":"netdev","table":"qvip_lb","chain":"ingress_eth0","expr":[
                    {"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"%s"}},
                    {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":80}},
                    {"match":{"op":"==","left":{"fib":{"result":"type","flags":["daddr"]}},"right":"local"}},
                    {"counter":{"packets":0,"bytes":0}},
                    {"mangle":{"key":{"payload":{"protocol":"ether","field":"saddr"}},"value":"%s"}},
                    {"mangle":{"key":{"payload":{"protocol":"ether","field":"daddr"}},
                               "value":{"map":{"key":{"jhash":{"mod":2,"seed":%d,"expr":{"concat":[
                                                 {"payload":{"protocol":"ip","field":"saddr"}},
                                                 {"payload":{"protocol":"tcp","field":"sport"}}]}}},
                                               "data":{"set":[[0,"%s"],[1,"%s"]]}}}}},
                    {"fwd":{"dev":"eth0"}}
                  ]}}}
                ]}""".formatted(vip, director.mac(), seed, pair.lab.realServer(1).host().mac(),
                        pair.lab.realServer(2).host().mac());
    }
}
