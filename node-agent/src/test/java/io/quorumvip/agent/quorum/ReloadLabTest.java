package io.quorumvip.agent.quorum;

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
 * SIGHUP on the owner with the lease: an unchanged configuration (comments added, the file's hash differs) is taken
 * without touching anything, checked by the {@code ip -n} observer (0 VIP moves) and the journal (no lease lost
 * or released); a configuration with an error is refused with its file:line and the owner goes on owning.
 */
class ReloadLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration SESSION_TIMEOUT = Duration.ofMillis(6000);

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldKeepTheVipAndTheLeaseOnAReloadOfAnUnchangedConfigAndRefuseOneWithAnError() throws Exception {
        LabPreconditions.assumeLabCanRun();
        lab = Lab.up(2, 3);
        String quorum = LabAgent.quorumBlock(lab, SESSION_TIMEOUT);
        String node1 = LabAgent.sampleConfig(lab, "pair-node1.conf") + quorum;
        LabAgent n1 = LabAgent.start(lab, lab.node(1), node1);
        LabAgent.start(lab, lab.node(2), LabAgent.sampleConfig(lab, "pair-node2.conf") + quorum);
        awaitCondition("n1 owns " + VIP, LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP),
                Set.of(lab.node(1).name())::equals);
        Path file = lab.node(1).stateDir().resolve("agent.conf");
        Path journal = LabAgent.journalDir(lab.node(1));

        OwnershipTimeline timeline;
        try (OwnershipObserver observer = OwnershipObserver.start(lab.nodes(), VIP)) {
            Files.writeString(file, "# reloaded: only comments and layout differ\n\n" + node1 + "\n! the end\n");
            hangUp(n1);
            awaitCondition("the reload is journaled", Duration.ofSeconds(10), () -> reloads(journal), r -> r.size() == 1);

            Files.writeString(file, node1.replace("priority 150", "priorty 150"));
            hangUp(n1);
            awaitCondition("the refused reload is journaled", Duration.ofSeconds(10), () -> reloads(journal),
                    r -> r.size() == 2);
            Thread.sleep(3_000);
            timeline = observer.timeline();
        }

        assertThat(timeline.holderSets()).as("holders at every poll through both reloads")
                .containsExactly(Set.of(lab.node(1).name()));
        List<Event.ConfigReloaded> reloads = reloads(journal);
        assertThat(reloads.get(0).applied()).isTrue();
        assertThat(reloads.get(0).unchanged()).containsExactly("VI_1");
        assertThat(reloads.get(1).applied()).isFalse();
        assertThat(reloads.get(1).detail()).contains(file + ":", "priorty");
        assertThat(n1.process().logText()).contains("reload refused: " + file + ":");
        List<Event> events = LabAgent.journalRecords(journal).stream().map(EventRecord::event).toList();
        int firstReload = events.indexOf(reloads.get(0));
        assertThat(events.subList(firstReload, events.size())).as("events from the first reload on")
                .noneMatch(e -> e instanceof Event.LeaseLost || e instanceof Event.LeaseReleased
                        || e instanceof Event.VipReleased || e instanceof Event.VrrpStateChanged);
        System.out.printf("measured: reload lab: polls=%d holders=%s through two SIGHUPs%n",
                timeline.samples().size(), timeline.holderSets());
    }

    private static void hangUp(LabAgent agent) {
        HostCommand.run("kill", "-HUP", Long.toString(agent.process().pid())).requireSuccess();
    }

    private static List<Event.ConfigReloaded> reloads(Path journal) {
        return LabAgent.journalRecords(journal).stream().map(EventRecord::event)
                .filter(Event.ConfigReloaded.class::isInstance).map(Event.ConfigReloaded.class::cast).toList();
    }
}
