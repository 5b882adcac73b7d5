package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * virtual_routes / virtual_rules follow the VIP, static_routes stay with the node while its agent runs; the kernel's
 * tables, read with {@code ip route} and {@code ip rule} inside each namespace, are the ground truth.
 */
class VirtualRoutesLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final String GATEWAY_ROUTE = "198.51.100.0/24 via 192.0.2.1 dev eth0";
    private static final String BLACKHOLE = "blackhole 198.51.100.128/25";
    private static final String RULE = "from 192.0.2.200 lookup 100";
    private static final String STATIC = "blackhole 198.51.100.64/26";

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    @Test
    void routesAndRulesShouldExistOnlyOnTheVipOwnerAndMoveWithIt() {
        try (Lab lab = Lab.up(2)) {
            LabAgent n1 = LabAgent.start(lab, lab.node(1), config("n1", 150));
            LabAgent.start(lab, lab.node(2), config("n2", 100));
            awaitCondition("n1 owns " + VIP, LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);
            awaitCondition("n1 has the virtual routes and rule", BOUND, () -> routing(lab.node(1)),
                    r -> r.contains(GATEWAY_ROUTE) && r.contains(BLACKHOLE) && r.contains(RULE));
            assertThat(routing(lab.node(2))).doesNotContain(GATEWAY_ROUTE, BLACKHOLE, RULE).contains(STATIC);
            assertThat(routing(lab.node(1))).contains(STATIC);

            n1.process().stop();
            awaitCondition("n2 owns " + VIP, BOUND, () -> lab.vipHolders(VIP), Set.of("n2")::equals);
            awaitCondition("n2 has the virtual routes and rule", BOUND, () -> routing(lab.node(2)),
                    r -> r.contains(GATEWAY_ROUTE) && r.contains(BLACKHOLE) && r.contains(RULE));
            assertThat(routing(lab.node(1))).doesNotContain(GATEWAY_ROUTE, BLACKHOLE, RULE, STATIC);

            // n1's journal says what went into its kernel and came out again, each change once it was made.
            List<Event.RoutingChanged> changes = LabAgent.journalRecords(LabAgent.journalDir(lab.node(1))).stream()
                    .map(EventRecord::event).filter(Event.RoutingChanged.class::isInstance)
                    .map(Event.RoutingChanged.class::cast).toList();
            assertThat(changes).allMatch(Event.RoutingChanged::applied);
            assertThat(changes).extracting(c -> c.owner() + " " + (c.added() ? "+" : "-") + c.kind() + " " + c.spec())
                    .contains("VI_1 +route 198.51.100.0/24 via 192.0.2.1 dev eth0 table 100",
                            "VI_1 +rule from 192.0.2.200 table 100 priority 100",
                            "VI_1 -rule from 192.0.2.200 table 100 priority 100",
                            "VI_1 -route 198.51.100.0/24 via 192.0.2.1 dev eth0 table 100",
                            "static +route blackhole 198.51.100.64/26 table 101",
                            "static -route blackhole 198.51.100.64/26 table 101")
                    .last().isEqualTo("static -route blackhole 198.51.100.64/26 table 101");
        }
    }

    /** Tables 100 and 101 and the rule list of one namespace, as one text. */
    private static String routing(LabHost host) {
        return host.exec("ip", "route", "show", "table", "100").stdout()
                + host.exec("ip", "route", "show", "table", "101").stdout()
                + host.exec("ip", "rule", "show").stdout();
    }

    private static String config(String node, int priority) {
        return LabAgent.onePairInstance(node, priority, """
                static_routes {
                    blackhole 198.51.100.64/26 table 101
                }
                """, """
                virtual_routes {
                        198.51.100.0/24 via 192.0.2.1 dev eth0 table 100
                        blackhole 198.51.100.128/25 table 100
                    }
                    virtual_rules {
                        from 192.0.2.200 table 100 priority 100
                    }
                """);
    }
}
