package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AGENT_CHECK against a real agent: socat on rs1 (198.51.100.51:5555) answers each connection with the line in a
 * file the test rewrites, as an operator's agent would. rs1 (weight 10) is checked by its agent only, rs2 (weight
 * 10) by TCP_CHECK; the pool (journal) and the nftables program on the director follow what the agent says.
 */
class AgentCheckLabTest {

    private static final String RS1 = "198.51.100.51:80";
    private static final String VS = "192.0.2.240:80/tcp";
    private static final Duration FOLLOW = Duration.ofSeconds(15);

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String config() {
        return """
                vrrp_instance front {
                    state MASTER
                    interface eth0
                    virtual_router_id 72
                    priority 150
                    advert_int 1
                    virtual_ipaddress {
                        192.0.2.240/24 dev eth0
                    }
                }
                virtual_server 192.0.2.240 80 {
                    lb_algo wrr
                    lb_kind NAT
                    protocol TCP
                    real_server 198.51.100.51 80 {
                        weight 10
                        AGENT_CHECK {
                            connect_port 5555
                            delay_loop 0.5
                            connect_timeout 1
                            warmup 0
                        }
                    }
                    real_server 198.51.100.52 80 {
                        weight 10
                        TCP_CHECK {
                            delay_loop 1
                            connect_timeout 1
                            warmup 0
                        }
                    }
                }
                """;
    }

    private static void say(Path reply, String line) throws Exception {
        Path tmp = reply.resolveSibling("agent-reply.tmp");
        Files.writeString(tmp, line + "\n");
        Files.move(tmp, reply, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The members and weights of the last pool journaled for the virtual server. */
    private static Optional<Map<String, Integer>> lastPool(List<Event> events) {
        Map<String, Integer> found = null;
        for (Event e : events) {
            if (e instanceof Event.PoolChanged p && p.virtualServer().equals(VS)) {
                found = p.members().stream().collect(Collectors.toMap(Event.PoolMemberEntry::endpoint,
                        Event.PoolMemberEntry::weight));
            }
        }
        return Optional.ofNullable(found);
    }

    private static void awaitPool(LabHost director, String what, Map<String, Integer> expected) {
        awaitCondition(what, FOLLOW, () -> lastPool(LabVerdicts.events(director)),
                pool -> pool.equals(Optional.of(expected)));
    }

    /**
     * The share of the virtual server's slot map (docs/load-balancing.md) that sends new connections to rs1: the
     * slots holding rs1's member mark, which the counter map names rs1's counter by; 0 while rs1 has none.
     */
    private static double rs1SlotShare(String ruleset) {
        Matcher rs1 = Pattern.compile("(0x[0-9a-f]+) : \"rs_192_0_2_240_80_tcp__198_51_100_51_80\"")
                .matcher(ruleset);
        Matcher map = Pattern.compile("map slots_192_0_2_240_80_tcp \\{(.*?)\n\t}", Pattern.DOTALL)
                .matcher(ruleset);
        if (!map.find()) {
            return -1;
        }
        String number = rs1.find() ? rs1.group(1) : null;
        Matcher slot = Pattern.compile("0x[0-9a-f]+ : (0x[0-9a-f]+)").matcher(map.group(1));
        int all = 0;
        int toRs1 = 0;
        while (slot.find()) {
            all++;
            toRs1 += slot.group(1).equals(number) ? 1 : 0;
        }
        return all == 0 ? -1 : (double) toRs1 / all;
    }

    private static String ruleset(LabHost director) {
        return director.exec("nft", "list", "ruleset").stdout();
    }

    @Test
    void shouldFollowTheAgentsWeightDrainMaintAndReadyInThePoolAndTheProgram() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("socat");
        lab = Lab.upWithRealServers(1, 2, Lab.Forwarding.NAT);
        LabHost rs = lab.realServer(1).host();
        Path reply = rs.stateDir().resolve("agent-reply");
        say(reply, "ready");
        rs.start("agent-check", List.of("socat", "TCP-LISTEN:5555,bind=198.51.100.51,fork,reuseaddr",
                "SYSTEM:cat " + reply));
        awaitCondition("the agent listens", Duration.ofSeconds(10), () -> rs.exec("ss", "-ltn").stdout(),
                s -> s.contains("198.51.100.51:5555"));
        LabHost director = lab.node(1);
        LabAgent agent = LabAgent.start(lab, director, config());
        try {
            awaitPool(director, "both at weight 10", Map.of(RS1, 10, "198.51.100.52:80", 10));

            say(reply, "50%");
            awaitPool(director, "rs1 at 50% of 10", Map.of(RS1, 5, "198.51.100.52:80", 10));
            awaitCondition("wrr over 5 + 10 in nftables: a third of the slots to rs1", FOLLOW,
                    () -> rs1SlotShare(ruleset(director)), share -> share > 0.25 && share < 0.42);

            say(reply, "drain");
            awaitPool(director, "rs1 drained: in the pool at weight 0", Map.of(RS1, 0, "198.51.100.52:80", 10));
            awaitCondition("no new connection to rs1: every slot to rs2", FOLLOW,
                    () -> rs1SlotShare(ruleset(director)), share -> share == 0.0);

            say(reply, "maint # upgrading");
            awaitPool(director, "rs1 out for maint", Map.of("198.51.100.52:80", 10));
            List<Event> events = LabVerdicts.events(director);
            assertThat(LabVerdicts.last(events, VS, false)).hasValueSatisfying(e -> {
                assertThat(e.checker()).isEqualTo("AGENT_CHECK");
                assertThat(e.detail()).contains("agent replied \"maint # upgrading\"")
                        .contains("agent says: upgrading");
                assertThat(e.consecutive()).as("no retry: one reply decides").isEqualTo(1);
            });

            say(reply, "ready");
            awaitPool(director, "rs1 back, the 50% still in force", Map.of(RS1, 5, "198.51.100.52:80", 10));
            assertThat(LabVerdicts.last(LabVerdicts.events(director), VS, true)).hasValueSatisfying(e ->
                    assertThat(e.detail()).contains("up, ready, weight 50%"));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nagent log:\n" + agent.process().logText()
                    + "\nruleset:\n" + ruleset(director), e);
        }
    }
}
