package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A DR virtual server added by SIGHUP to an agent whose load balancer started with none (only a NAT one): DR needs
 * the real servers' MACs, which the agent asks the kernel to resolve. The checks here are MISC_CHECKs that send
 * nothing, so no check traffic fills the neighbour table: the real servers answer through the VIP only if the
 * reload started the resolver.
 */
class ReloadDrVirtualServerLabTest {

    private static final String URL = "http://192.0.2.210/";
    /** A NAT virtual server no client uses, toward an address nothing holds: it only makes the load balancer run. */
    private static final String NAT_ONLY = """
            virtual_server 192.0.2.210 8080 {
                delay_loop 6
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server 192.0.2.59 80 {
                    MISC_CHECK {
                        misc_path /bin/true
                    }
                }
            }
            """;

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldResolveTheRealServersOfADrVirtualServerAddedByReload() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        lab = Lab.upWithRealServers(1, 2, Lab.Forwarding.DR);
        String sample = Files.readString(lab.layout().shared().resolve("lb-samples").resolve("lvs-dr-node1.conf"));
        int dr = sample.indexOf("virtual_server 192.0.2.210 80");
        assertThat(dr).as("the DR sample's virtual_server").isPositive();
        String instanceOnly = sample.substring(0, dr);
        String silentChecks = sample.substring(dr).replaceAll("(?s)TCP_CHECK \\{.*?\\n        }",
                "MISC_CHECK {\n            misc_path /bin/true\n        }");
        assertThat(silentChecks).doesNotContain("TCP_CHECK").contains("misc_path /bin/true");

        LabAgent n1 = LabAgent.start(lab, lab.node(1), instanceOnly + NAT_ONLY);
        awaitCondition("n1 holds the VIP", LabAgent.MASTER_BOUND, () -> lab.node(1).holds("192.0.2.210"),
                held -> held);
        Path journal = LabAgent.journalDir(lab.node(1));
        Files.writeString(lab.node(1).stateDir().resolve("agent.conf"), instanceOnly + NAT_ONLY + silentChecks);
        HostCommand.run("kill", "-HUP", Long.toString(n1.process().pid())).requireSuccess();
        awaitCondition("the reload is journaled", Duration.ofSeconds(20), () -> reloads(journal),
                r -> !r.isEmpty());
        Event.ConfigReloaded reload = reloads(journal).get(0);
        assertThat(reload.applied()).as(reload.detail()).isTrue();

        awaitCondition("both real servers answer through the VIP (their MACs resolved)", Duration.ofSeconds(20),
                () -> lab.client().httpAnswers(URL, 10), a -> a.keySet().equals(Set.of("rs1", "rs2")));
    }

    private static List<Event.ConfigReloaded> reloads(Path journal) {
        return LabAgent.journalRecords(journal).stream().map(EventRecord::event)
                .filter(Event.ConfigReloaded.class::isInstance).map(Event.ConfigReloaded.class::cast).toList();
    }
}
