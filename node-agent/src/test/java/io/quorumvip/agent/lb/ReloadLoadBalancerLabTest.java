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
 * A virtual server's pool changed by SIGHUP: the NAT sample on one director, rs2 stopped (so its health is DOWN),
 * then a reload removes rs3's block. The new program has rs1 alone: rs2's DOWN verdict was carried over, not reset
 * to the initial UP, and the instances (a sync group, unchanged) were not touched.
 */
class ReloadLoadBalancerLabTest {

    private static final String URL = "http://192.0.2.220/";
    private static final String RS3_BLOCK = """
                real_server 198.51.100.53 80 {
                    weight 1
                    MISC_CHECK {
                        misc_path "/usr/bin/curl -fsS -m 1 -o /dev/null http://198.51.100.53/health"
                        misc_timeout 2
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
    void shouldApplyAPoolChangeByReloadKeepingTheHealthOfTheRealServersThatStay() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        lab = Lab.upWithRealServers(1, 3, Lab.Forwarding.NAT);
        String config = Files.readString(lab.layout().shared().resolve("lb-samples").resolve("lvs-nat-node1.conf"));
        assertThat(config).contains(RS3_BLOCK);
        LabAgent n1 = LabAgent.start(lab, lab.node(1), config);
        awaitCondition("n1 holds the front VIP", LabAgent.MASTER_BOUND, () -> lab.node(1).holds("192.0.2.220"),
                held -> held);
        awaitCondition("all three real servers answer", Duration.ofSeconds(30),
                () -> lab.client().httpAnswers(URL, 15), a -> a.keySet().equals(Set.of("rs1", "rs2", "rs3")));
        Path journal = LabAgent.journalDir(lab.node(1));
        lab.realServer(2).stop();
        awaitCondition("rs2 is checked down", Duration.ofSeconds(20), () -> events(journal), e -> e.stream()
                .anyMatch(x -> x instanceof Event.RealServerDown d && d.realServer().equals("198.51.100.52:80")));

        Files.writeString(lab.node(1).stateDir().resolve("agent.conf"), config.replace(RS3_BLOCK, ""));
        HostCommand.run("kill", "-HUP", Long.toString(n1.process().pid())).requireSuccess();
        awaitCondition("the reload is journaled", Duration.ofSeconds(20), () -> reloads(journal),
                r -> !r.isEmpty());
        awaitCondition("only rs1 answers", Duration.ofSeconds(20), () -> lab.client().httpAnswers(URL, 10),
                a -> a.keySet().equals(Set.of("rs1")));

        List<Event> events = events(journal);
        Event.ConfigReloaded reload = reloads(journal).get(0);
        assertThat(reload.applied()).as(reload.detail()).isTrue();
        assertThat(reload.detail()).contains("virtual servers changed [192.0.2.220:80/tcp]");
        assertThat(reload.unchanged()).containsExactly("front", "back");
        List<Event> after = events.subList(events.indexOf(reload), events.size());
        // The reload is journaled before the changes it causes, so its pool change comes after it.
        List<Event.PoolChanged> pools = after.stream().filter(Event.PoolChanged.class::isInstance)
                .map(Event.PoolChanged.class::cast).toList();
        assertThat(pools).as("pools after the reload").isNotEmpty().allMatch(e -> e.members().stream()
                .noneMatch(m -> m.endpoint().equals("198.51.100.52:80")));
        assertThat(pools.get(pools.size() - 1).members()).as("the last pool after the reload")
                .extracting(Event.PoolMemberEntry::endpoint).contains("198.51.100.51:80")
                .doesNotContain("198.51.100.52:80", "198.51.100.53:80");
        assertThat(after).as("events after the reload").noneMatch(e -> e instanceof Event.VipReleased
                || e instanceof Event.VrrpStateChanged || e instanceof Event.RealServerUp);
        assertThat(n1.status().path("virtual_servers").path(0).path("real_servers")).hasSize(2);
    }

    private static List<Event> events(Path journal) {
        return LabAgent.journalRecords(journal).stream().map(EventRecord::event).toList();
    }

    private static List<Event.ConfigReloaded> reloads(Path journal) {
        return events(journal).stream().filter(Event.ConfigReloaded.class::isInstance)
                .map(Event.ConfigReloaded.class::cast).toList();
    }
}
