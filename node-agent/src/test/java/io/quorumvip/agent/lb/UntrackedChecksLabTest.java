package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code untracked} on a NAT director: {@code lb-samples/lvs-nat-node1.conf} with its two HTTP_GETs (rs1, rs2)
 * marked untracked and one closing with an RST. Their connections leave no conntrack entry in the director's
 * namespace, while the clients' NAT'd connections, which conntrack carries, still work, and a connection to the same
 * real server that is not a check (curl on the director) is still tracked.
 */
class UntrackedChecksLabTest {

    private static final String URL = "http://192.0.2.220/";
    /** A connection from the director to rs1 or rs2: only the original tuple has the real server as dst then sport. */
    private static final Pattern TO_RS1_OR_RS2 = Pattern.compile("dst=198\\.51\\.100\\.5[12] sport=");

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldLeaveNoConntrackEntryForAnUntrackedCheckWhileClientsAreNatted() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        lab = Lab.upWithRealServers(1, 3, Lab.Forwarding.NAT);
        String config = Files.readString(lab.layout().shared().resolve("lb-samples").resolve("lvs-nat-node1.conf"))
                .replaceFirst("connect_timeout 1", "connect_timeout 1\n            untracked")
                .replaceFirst("connect_timeout 1\n(?! +untracked)",
                        "connect_timeout 1\n            untracked\n            close_with_reset\n");
        assertThat(config.split("untracked", -1)).as("both HTTP_GETs are untracked").hasSize(3);
        LabAgent n1 = LabAgent.start(lab, lab.node(1), config);
        awaitCondition("n1 holds the front VIP", LabAgent.MASTER_BOUND, () -> lab.node(1).holds("192.0.2.220"),
                held -> held);
        awaitCondition("all three real servers answer through the VIP", Duration.ofSeconds(30),
                () -> lab.client().httpAnswers(URL, 15), a -> a.keySet().equals(Set.of("rs1", "rs2", "rs3")));
        assertThat(lab.node(1).exec("nft", "list", "chain", "ip", "qvip_lb", "checks_in").stdout())
                .contains("socket mark 0x71766368 notrack");

        Map<String, Integer> shares = lab.client().httpAnswers(URL, 100);
        String table = conntrack();
        assertThat(shares).as("NAT'd clients, each tracked").containsOnlyKeys("rs1", "rs2", "rs3");
        assertThat(table).as("the clients' connections are tracked").contains("dst=192.0.2.220 sport=");
        assertThat(TO_RS1_OR_RS2.matcher(table).find()).as("checks every 2 s for 10 s or more left no entry: %s",
                table).isFalse();
        assertThat(n1.status().path("virtual_servers").path(0).path("real_servers").path(0).path("in_pool")
                .asBoolean(false)).as("rs1 is in the pool by its untracked checks").isTrue();

        assertThat(lab.node(1).exec("curl", "-sf", "-o", "/dev/null", "http://198.51.100.51/health").exitCode())
                .isZero();
        assertThat(TO_RS1_OR_RS2.matcher(conntrack()).find()).as("a connection that is not a check is tracked")
                .isTrue();
    }

    private String conntrack() {
        return lab.node(1).exec("cat", "/proc/net/nf_conntrack").stdout();
    }
}
