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
 * or released); a configuration with an error is refused with its file:line, one with a changed quorum block is
 * refused naming the block, and the owner goes on owning. Then
 * instances are added, changed and removed by reload: only the instance a reload names moves, the observer shows
 * the others' addresses never moved.
 */
class ReloadLabTest {

    private static final String VIP = "192.0.2.200";
    private static final String VIP_2 = "192.0.2.201";
    private static final String VIP_3 = "192.0.2.202";
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

            Files.writeString(file, node1.replace("session_timeout " + SESSION_TIMEOUT.toMillis(),
                    "session_timeout " + (SESSION_TIMEOUT.toMillis() + 1000)));
            hangUp(n1);
            awaitCondition("the reload of a new quorum block is refused", Duration.ofSeconds(10),
                    () -> reloads(journal), r -> r.size() == 3);
            Thread.sleep(3_000);
            timeline = observer.timeline();
        }

        assertThat(timeline.holderSets()).as("holders at every poll through the three reloads")
                .containsExactly(Set.of(lab.node(1).name()));
        List<Event.ConfigReloaded> reloads = reloads(journal);
        assertThat(reloads.get(0).applied()).isTrue();
        assertThat(reloads.get(0).unchanged()).containsExactly("VI_1");
        assertThat(reloads.get(1).applied()).isFalse();
        assertThat(reloads.get(1).detail()).contains(file + ":", "priorty");
        assertThat(n1.process().logText()).contains("reload refused: " + file + ":");
        assertThat(reloads.get(2).applied()).isFalse();
        assertThat(reloads.get(2).detail()).startsWith("quorum changed").contains("restart the agent");
        List<Event> events = LabAgent.journalRecords(journal).stream().map(EventRecord::event).toList();
        int firstReload = events.indexOf(reloads.get(0));
        assertThat(events.subList(firstReload, events.size())).as("events from the first reload on")
                .noneMatch(e -> e instanceof Event.LeaseLost || e instanceof Event.LeaseReleased
                        || e instanceof Event.VipReleased || e instanceof Event.VrrpStateChanged);
        System.out.printf("measured: reload lab: polls=%d holders=%s through three SIGHUPs%n",
                timeline.samples().size(), timeline.holderSets());
    }

    private static String instance(String name, int vrid, int priority, String vip) {
        return """
                vrrp_instance %s {
                    state BACKUP
                    interface eth0
                    virtual_router_id %d
                    priority %d
                    advert_int 1
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                }
                """.formatted(name, vrid, priority, vip);
    }

    @Test
    void shouldStartAnAddedInstanceRestartOnlyAChangedOneAndReleaseARemovedOneWhileTheOthersNeverMove()
            throws Exception {
        LabPreconditions.assumeLabCanRun();
        lab = Lab.up(2, 3);
        String quorum = LabAgent.quorumBlock(lab, SESSION_TIMEOUT);
        String vi1 = instance("VI_1", 66, 150, VIP);
        String n1Base = "global_defs {\n    router_id n1\n}\n" + vi1 + instance("VI_2", 67, 150, VIP_2) + quorum;
        LabAgent n1 = LabAgent.start(lab, lab.node(1), n1Base);
        LabAgent.start(lab, lab.node(2), "global_defs {\n    router_id n2\n}\n" + instance("VI_1", 66, 100, VIP)
                + instance("VI_2", 67, 100, VIP_2) + quorum);
        Set<String> n1Only = Set.of(lab.node(1).name());
        awaitCondition("n1 owns " + VIP, LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP), n1Only::equals);
        awaitCondition("n1 owns " + VIP_2, LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP_2), n1Only::equals);
        Path file = lab.node(1).stateDir().resolve("agent.conf");
        Path journal = LabAgent.journalDir(lab.node(1));

        OwnershipTimeline first;
        OwnershipTimeline second;
        OwnershipTimeline third;
        long changedAt;
        try (OwnershipObserver one = OwnershipObserver.start(lab.nodes(), VIP);
             OwnershipObserver two = OwnershipObserver.start(lab.nodes(), VIP_2);
             OwnershipObserver three = OwnershipObserver.start(lab.nodes(), VIP_3)) {
            String added = n1Base.replace(quorum, instance("VI_3", 68, 150, VIP_3) + quorum);
            Files.writeString(file, added);
            hangUp(n1);
            awaitCondition("n1 owns the added " + VIP_3, LabAgent.MASTER_BOUND, three::latestHolders,
                    n1Only::equals);

            changedAt = System.nanoTime();
            Files.writeString(file, added.replace(instance("VI_2", 67, 150, VIP_2), instance("VI_2", 67, 140,
                    VIP_2)));
            hangUp(n1);
            awaitCondition("the change is journaled", Duration.ofSeconds(20), () -> reloads(journal),
                    r -> r.size() == 2);
            awaitCondition("n1 owns the changed " + VIP_2 + " again", LabAgent.MASTER_BOUND, two::latestHolders,
                    n1Only::equals);

            Files.writeString(file, n1Base.replace(instance("VI_2", 67, 150, VIP_2), instance("VI_2", 67, 140,
                    VIP_2)));
            hangUp(n1);
            awaitCondition("the removed " + VIP_3 + " is released", Duration.ofSeconds(20), three::latestHolders,
                    Set::isEmpty);
            Thread.sleep(2_000);
            first = one.timeline();
            second = two.timeline();
            third = three.timeline();
        }

        assertThat(first.holderSets()).as(VIP + " (VI_1, never in a plan) at every poll through three reloads")
                .containsExactly(n1Only);
        assertThat(second.between(second.samples().get(0).atNanos(), changedAt).holderSets()).as(VIP_2 + " before it was changed")
                .containsExactly(n1Only);
        assertThat(second.doubleOwnershipMillis()).as(VIP_2 + " held twice").isZero();
        assertThat(third.samples().get(third.samples().size() - 1).holders()).isEmpty();
        assertThat(third.maxHolders()).isEqualTo(1);
        List<Event.ConfigReloaded> reloads = reloads(journal);
        assertThat(reloads).allMatch(Event.ConfigReloaded::applied);
        assertThat(reloads.get(0).added()).containsExactly("VI_3");
        assertThat(reloads.get(0).unchanged()).containsExactly("VI_1", "VI_2");
        assertThat(reloads.get(1).changed()).containsExactly("VI_2");
        assertThat(reloads.get(1).unchanged()).containsExactly("VI_1", "VI_3");
        assertThat(reloads.get(2).removed()).containsExactly("VI_3");
        List<Event> events = LabAgent.journalRecords(journal).stream().map(EventRecord::event).toList();
        List<Event> afterFirstReload = events.subList(events.indexOf(reloads.get(0)), events.size());
        assertThat(afterFirstReload).as("VI_1's events from the first reload on").noneMatch(e ->
                e instanceof Event.LeaseLost l && l.instance().equals("VI_1")
                        || e instanceof Event.LeaseReleased r && r.instance().equals("VI_1")
                        || e instanceof Event.VipReleased v && v.instance().equals("VI_1")
                        || e instanceof Event.VrrpStateChanged c && c.instance().equals("VI_1"));
        assertThat(afterFirstReload).as("the removed VI_3 released its address and lease")
                .anyMatch(e -> e instanceof Event.VipReleased v && v.instance().equals("VI_3"))
                .anyMatch(e -> e instanceof Event.LeaseReleased r && r.instance().equals("VI_3"));
        System.out.printf("measured: reload lab: VI_1 polls=%d holders=%s; changed VI_2 changes=%d no-owner=%d ms;"
                        + " load %.2f%n", first.samples().size(), first.holderSets(), second.changes(),
                second.noOwnerMillis(), java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    private static void hangUp(LabAgent agent) {
        HostCommand.run("kill", "-HUP", Long.toString(agent.process().pid())).requireSuccess();
    }

    private static List<Event.ConfigReloaded> reloads(Path journal) {
        return LabAgent.journalRecords(journal).stream().map(EventRecord::event)
                .filter(Event.ConfigReloaded.class::isInstance).map(Event.ConfigReloaded.class::cast).toList();
    }
}
