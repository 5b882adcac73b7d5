package io.quorumvip.agent.interop;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lab.LabProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mixed cluster on one VRID: our agent and a real keepalived 2.2.7 in lab namespaces, with the pair samples
 * (VRID 66, priorities 150/100, PASS auth) unchanged apart from nopreempt where a test says so. Ground truth is the
 * kernel's address list and the client's ARP cache, not the daemons' own word.
 */
class KeepalivedInteropTest {

    private static final String VIP = "192.0.2.200";
    private static final String INSTANCE = "VI_1";

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("keepalived", "curl");
    }

    @Test
    void ourHigherPriorityAgentShouldBeMasterAndKeepalivedShouldTakeOverWhenItDiesAndGiveBackWhenItReturns() {
        try (Lab lab = Lab.up(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            n2.startKeepalived(lab.keepalivedSample("pair-node2.conf"));
            LabAgent ours = LabAgent.start(n1, lab.keepalivedSample("pair-node1.conf"));

            awaitCondition("our agent MASTER, keepalived BACKUP, only n1 holds " + VIP, LabAgent.MASTER_BOUND,
                    () -> ours.state(INSTANCE) + " " + keepalivedState(lab, "n2") + " " + lab.vipHolders(VIP),
                    "MASTER BACKUP [n1]"::equals);

            ours.process().freezeAndKill();
            awaitCondition("keepalived on n2 holds " + VIP + " after our agent died", LabAgent.MASTER_BOUND,
                    () -> lab.vipHolders(VIP), holders -> holders.contains("n2"));

            LabAgent restarted = LabAgent.start(n1, lab.keepalivedSample("pair-node1.conf"));
            awaitCondition("the restarted agent takes " + VIP + " back (preempt)", LabAgent.MASTER_BOUND,
                    () -> restarted.state(INSTANCE) + " " + keepalivedState(lab, "n2") + " " + lab.vipHolders(VIP),
                    "MASTER BACKUP [n1]"::equals);
        }
    }

    @Test
    void ourRestartedAgentShouldNotTakeTheVipBackWhenConfiguredNopreempt() throws IOException {
        try (Lab lab = Lab.up(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            n2.startKeepalived(lab.keepalivedSample("pair-node2.conf"));
            awaitCondition("keepalived alone becomes MASTER with " + VIP, LabAgent.MASTER_BOUND,
                    () -> lab.vipHolders(VIP), Set.of("n2")::equals);

            Path nopreempt = withNopreempt(lab, lab.keepalivedSample("pair-node1.conf"));
            LabAgent ours = LabAgent.start(n1, nopreempt);
            awaitCondition("our agent comes up as BACKUP", LabAgent.MASTER_BOUND, () -> ours.state(INSTANCE),
                    "BACKUP"::equals);

            // Longer than our Master_Down_Interval (3 × 1 s + skew): a preempting agent would have taken over by now.
            sleep(Duration.ofSeconds(6));
            assertThat(ours.state(INSTANCE)).isEqualTo("BACKUP");
            assertThat(lab.vipHolders(VIP)).containsExactly("n2");
            assertThat(ours.status().path("instances").get(0).path("vip_owned").asBoolean()).isFalse();
        }
    }

    @Test
    void ourLowerPriorityAgentShouldTakeOverWhenKeepalivedDiesAndClientsShouldFollowWithinASecond() {
        try (Lab lab = Lab.up(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            LabProcess keepalived = n1.startKeepalived(lab.keepalivedSample("pair-node1.conf"));
            LabAgent ours = LabAgent.start(n2, lab.keepalivedSample("pair-node2.conf"));
            awaitCondition("keepalived MASTER on n1, our agent BACKUP", LabAgent.MASTER_BOUND,
                    () -> keepalivedState(lab, "n1") + " " + ours.state(INSTANCE) + " " + lab.vipHolders(VIP),
                    "MASTER BACKUP [n1]"::equals);
            assertThat(lab.arpMac(VIP)).contains(n1.mac());

            keepalived.freezeAndKill();
            awaitCondition("our agent on n2 holds " + VIP, LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP),
                    holders -> holders.contains("n2"));
            assertThat(ours.state(INSTANCE)).isEqualTo("MASTER");

            // Our gratuitous ARP must repoint the client's cache although the dead keepalived node's kernel
            // still holds the address.
            awaitCondition("the client's ARP cache points " + VIP + " at n2 (" + n2.mac() + ")", Duration.ofSeconds(1),
                    () -> clientNeighbour(lab), Optional.of(n2.mac())::equals);
        }
    }

    private static String keepalivedState(Lab lab, String node) {
        for (JsonNode entry : lab.status().path("nodes")) {
            if (entry.path("node").asText().equals(node)) {
                return entry.path("state").asText();
            }
        }
        return "absent";
    }

    /** The MAC the client's kernel holds for the VIP right now, without sending anything. */
    private static Optional<String> clientNeighbour(Lab lab) {
        String out = lab.client().exec("ip", "neigh", "show", VIP).stdout();
        int at = out.indexOf("lladdr ");
        return at < 0 ? Optional.empty() : Optional.of(out.substring(at + 7).split("\\s+")[0]);
    }

    private static Path withNopreempt(Lab lab, Path sample) throws IOException {
        String config = Files.readString(sample)
                .replace("state MASTER", "state BACKUP")
                .replace("advert_int 1", "advert_int 1\n    nopreempt");
        assertThat(config).contains("nopreempt").contains("state BACKUP");
        Path copy = lab.stateDir().resolve("n1").resolve("nopreempt.conf");
        Files.writeString(copy, config);
        return copy;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
