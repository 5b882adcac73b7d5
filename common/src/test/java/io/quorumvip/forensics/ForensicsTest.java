package io.quorumvip.forensics;

import static io.quorumvip.forensics.ClusterScript.VIP;
import static io.quorumvip.forensics.ClusterScript.micros;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Cause;
import io.quorumvip.events.EventRecord;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForensicsTest {

    private static final long EPSILON_MS = 50;

    @TempDir
    Path root;

    private ForensicsReport analyze(ClusterScript script) throws IOException {
        return Forensics.analyze(script.writeAndRead(root), ForensicsSettings.DEFAULT);
    }

    private static List<Incident> of(ForensicsReport report, IncidentKind kind) {
        return report.incidents().stream().filter(i -> i.kind() == kind).toList();
    }

    private static long ms(long millis) {
        return millis * 1000;
    }

    /** Two agents without a quorum block; VRRP between them is cut from 3 s to 10 s: both bind. */
    static ClusterScript partitionWithoutQuorum() {
        return new ClusterScript()
                .ownerWithoutQuorum("n1", 0)
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .master("n2", 3000).bound("n2", 3001, 0)
                .masterSeen("n2", 10_000, "192.0.2.11").backup("n2", 10_000).released("n2", 10_001)
                .masterSeen("n1", 10_000, "192.0.2.12")
                .released("n1", 20_000).stopped("n1", 20_000).stopped("n2", 20_000);
    }

    @Test
    void shouldReportDualOwnershipWithDurationBoundsWhenTwoAgentsWithoutQuorumBothBind() throws IOException {
        ForensicsReport report = analyze(partitionWithoutQuorum());

        assertThat(report.splitBrain()).isTrue();
        Incident split = of(report, IncidentKind.DUAL_OWNERSHIP).get(0);
        assertThat(split.nodes()).containsExactly("n1", "n2");
        assertThat(split.address()).isEqualTo(VIP);
        assertThat(split.startMicros()).isEqualTo(micros(3001));
        assertThat(split.endMicros()).isEqualTo(micros(10_001));
        // n2's holding lies wholly inside n1's: no skew within the bound changes how long they overlapped.
        assertThat(split.minDurationMicros()).isEqualTo(ms(7000)).isEqualTo(split.maxDurationMicros());
        assertThat(split.summary()).contains("without a kernel lifetime");
        assertThat(split.causes()).extracting(CauseStep::text)
                .anyMatch(t -> t.startsWith("n2 VI_1 BACKUP → MASTER [TIMER master_down]"))
                .anyMatch(t -> t.startsWith("n2 VI_1 VIP 192.0.2.200/24 released"));
        assertThat(of(report, IncidentKind.DUAL_MASTER)).singleElement()
                .satisfies(m -> assertThat(m.summary()).contains("ownership split"));
    }

    @Test
    void shouldReportDualMasterWithSingleOwnershipAndAMasterWithoutLeaseWhenTheQuorumHolds() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", 0).master("n1", 1).leaseRequested("n1", 1).leaseAcquired("n1", 100, 41).bound("n1", 101, 2)
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .master("n2", 3000).leaseRequested("n2", 3000)
                .backup("n2", 10_000).masterSeen("n1", 10_000, "192.0.2.12")
                .released("n1", 20_000).stopped("n1", 20_000).stopped("n2", 20_000);

        ForensicsReport report = analyze(script);

        assertThat(report.splitBrain()).isFalse();
        assertThat(of(report, IncidentKind.DUAL_MASTER)).singleElement().satisfies(m -> {
            assertThat(m.summary()).contains("ownership stayed single: n1 (192.0.2.200/24)");
            assertThat(m.vrid()).isEqualTo(ClusterScript.VRID);
            assertThat(m.minDurationMicros()).isEqualTo(ms(7000));
        });
        assertThat(of(report, IncidentKind.LEASE_VRRP_DISAGREEMENT)).singleElement().satisfies(d -> {
            assertThat(d.nodes()).containsExactly("n2");
            assertThat(d.summary()).contains("VRRP MASTER without the lease");
            assertThat(d.minDurationMicros()).isEqualTo(ms(7000)).isEqualTo(d.maxDurationMicros());
        });
    }

    @Test
    void shouldNotBlameARunWithoutAQuorumBlockForMasteringWithoutALease() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n2", 0).master("n2", 1).bound("n2", 2, 0).released("n2", 10_000).stopped("n2", 10_000)
                .started("n2", 11_000).master("n2", 11_001).leaseRequested("n2", 11_001)
                .leaseAcquired("n2", 11_100, 9).bound("n2", 11_101, 2).released("n2", 20_000).stopped("n2", 20_000);

        assertThat(of(analyze(script), IncidentKind.LEASE_VRRP_DISAGREEMENT)).isEmpty();
    }

    @Test
    void shouldReportALeaseHeldWhileNotMasterOnlyBeyondTheGrace() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", 0).master("n1", 1).leaseRequested("n1", 1).leaseAcquired("n1", 10, 7)
                .backup("n1", 1000).leaseReleased("n1", 5000, 7)
                .master("n1", 6000).leaseAcquired("n1", 6010, 8).backup("n1", 7000).leaseReleased("n1", 7200, 8);

        List<Incident> found = of(analyze(script), IncidentKind.LEASE_VRRP_DISAGREEMENT);

        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.summary()).contains("held lease epoch 7 while not VRRP MASTER for 4.000 s");
            assertThat(d.startMicros()).isEqualTo(micros(1000));
        });
    }

    @Test
    void shouldReportAnOutageWithItsChainOfCausesInOrder() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", 0).master("n1", 1).leaseRequested("n1", 1).leaseAcquired("n1", 10, 41).bound("n1", 11, 2)
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .leaseLost("n1", 4000, 41).role("n1", 4001, RoleInput.MASTER, RoleInput.FAULT, Cause.health("quorum", 0))
                .released("n1", 4002)
                .role("n2", 7300, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down after 192.0.2.11"))
                .leaseRequested("n2", 7300).leaseAcquired("n2", 8000, 42).bound("n2", 8001, 2);

        ForensicsReport report = analyze(script);

        Incident outage = of(report, IncidentKind.NO_OWNER).get(0);
        assertThat(outage.startMicros()).isEqualTo(micros(4002));
        assertThat(outage.endMicros()).isEqualTo(micros(8001));
        assertThat(outage.minDurationMicros()).isEqualTo(ms(3999 - EPSILON_MS));
        assertThat(outage.maxDurationMicros()).isEqualTo(ms(3999 + EPSILON_MS));
        assertThat(outage.causes()).extracting(CauseStep::text).containsSubsequence(
                "n1 VI_1 lost lease epoch 41 (session 0x5eed) [LEASE_WATCH SESSION_LOST session 0x5eed] 04:40:04.000",
                "n1 VI_1 MASTER → FAULT [HEALTH quorum] 04:40:04.001",
                "n1 VI_1 VIP 192.0.2.200/24 released 04:40:04.002",
                "n2 VI_1 BACKUP → MASTER [TIMER master_down after 192.0.2.11] 04:40:07.300",
                "n2 VI_1 lease epoch 42 acquired (session 0x5eed) [LEASE_WATCH acquired session 0x5eed] 04:40:08.000",
                "n2 VI_1 VIP 192.0.2.200/24 bound (lifetime 2 s) [TIMER master_down] 04:40:08.001");
        assertThat(report.vips()).singleElement().satisfies(v -> assertThat(v.noOwnerIncidents()).isEqualTo(1));
    }

    @Test
    void shouldSayTheSameNodeReleasedAndBoundAgainWhenBothSidesOfAnOutageAreOneNode() throws IOException {
        ClusterScript script = new ClusterScript()
                .ownerWithoutQuorum("n2", 0).released("n2", 5000).bound("n2", 6000, 0)
                .released("n2", 9000).stopped("n2", 9001);

        ForensicsReport report = analyze(script);

        assertThat(of(report, IncidentKind.NO_OWNER)).singleElement().satisfies(gap -> {
            assertThat(gap.summary()).isEqualTo("nobody had " + VIP + " bound from n2's release until n2 bound it"
                    + " again");
            assertThat(gap.minDurationMicros()).as("one node's clock: no clock bound").isEqualTo(ms(1000));
        });
    }

    @Test
    void shouldReportAHandOverWhoseEndsTouchWithinTheClockBoundWithMinimumDurationZero() throws IOException {
        ClusterScript script = new ClusterScript()
                .ownerWithoutQuorum("n1", 0).released("n1", 5000).stopped("n1", 5001)
                .started("n2", 0).master("n2", 5020).bound("n2", 5020, 0);

        ForensicsReport report = analyze(script);

        assertThat(of(report, IncidentKind.NO_OWNER)).singleElement().satisfies(gap -> {
            assertThat(gap.minDurationMicros()).isZero();
            assertThat(gap.maxDurationMicros()).isEqualTo(ms(20 + EPSILON_MS));
        });
        assertThat(report.splitBrain()).isFalse();
    }

    @Test
    void shouldNotCallAnOverlapWithinTheClockBoundSplitBrain() throws IOException {
        ClusterScript script = new ClusterScript()
                .ownerWithoutQuorum("n1", 0).released("n1", 5000).stopped("n1", 5001)
                .started("n2", 0).master("n2", 4960).bound("n2", 4960, 0);

        ForensicsReport report = analyze(script);

        assertThat(report.splitBrain()).isFalse();
        assertThat(of(report, IncidentKind.DUAL_MASTER)).isEmpty();
    }

    @Test
    void shouldCloseACrashedNodesAddressByTheTakeOverPlusItsKernelLifetime() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", 0).master("n1", 1).leaseRequested("n1", 1).leaseAcquired("n1", 10, 41).bound("n1", 11, 2)
                .masterSeen("n1", 1000, "192.0.2.12")
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .role("n2", 4000, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down after 192.0.2.11"))
                .leaseRequested("n2", 4000).leaseAcquired("n2", 4500, 42).bound("n2", 4501, 2)
                .masterSeen("n2", 20_000, "192.0.2.13");

        ForensicsReport report = analyze(script);

        Interval crashed = report.intervals().stream()
                .filter(i -> i.kind() == IntervalKind.VIP && i.node().equals("n1")).findFirst().orElseThrow();
        assertThat(crashed.endReason()).isEqualTo(EndReason.CLOSED_BY_LIFETIME);
        assertThat(crashed.endMinMicros()).isEqualTo(micros(1000));
        assertThat(crashed.endMaxMicros()).isEqualTo(micros(6500));
        assertThat(report.splitBrain()).isFalse();
        assertThat(of(report, IncidentKind.NO_OWNER)).singleElement().satisfies(gap -> {
            assertThat(gap.minDurationMicros()).isZero();
            assertThat(gap.maxDurationMicros()).isEqualTo(ms(3501 + EPSILON_MS));
            assertThat(gap.notes()).anyMatch(n -> n.contains("n1's journal ends at 2025-11-21T04:40:01Z")
                    && n.contains("kernel lifetime of 2 s") && n.contains("removed it by 2025-11-21T04:40:06.500Z"));
        });
    }

    /**
     * The chaos run's sigstop story: n1 is frozen at 0 s holding the address with a 4 s lifetime; its kernel removes
     * it at about 4 s; n2 wins VRRP at 3.6 s and binds at 6.1 s; n1 wakes at 20 s and journals the release then,
     * naming the lifetime's end. No split brain: the kernel's removal slack ends before n2 bound.
     */
    @Test
    void shouldEndAnAddressTheKernelLetExpireWhenItsLifetimeEndedNotWhenTheFrozenAgentWokeUp() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", -2000).master("n1", -1999).leaseRequested("n1", -1999).leaseAcquired("n1", -1990, 41)
                .bound("n1", -1989, 4)
                .started("n2", -2000).role("n2", -1999, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .role("n2", 3600, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down after 192.0.2.11"))
                .leaseRequested("n2", 3600).leaseAcquired("n2", 6050, 42).bound("n2", 6100, 4)
                .expired("n1", 20_000, 4000);

        ForensicsReport report = analyze(script);

        Interval expired = report.intervals().stream()
                .filter(i -> i.kind() == IntervalKind.VIP && i.node().equals("n1")).findFirst().orElseThrow();
        assertThat(expired.endReason()).isEqualTo(EndReason.EXPIRED);
        assertThat(expired.endMinMicros()).isEqualTo(micros(4000));
        assertThat(expired.endMaxMicros()).isEqualTo(micros(5250));
        assertThat(of(report, IncidentKind.DUAL_OWNERSHIP)).isEmpty();
        assertThat(report.splitBrain()).isFalse();
        assertThat(of(report, IncidentKind.NO_OWNER)).singleElement().satisfies(gap -> {
            assertThat(gap.minDurationMicros()).isEqualTo(ms(6100 - 5250 - EPSILON_MS));
            assertThat(gap.notes()).anyMatch(n -> n.contains("n1's kernel removed " + VIP)
                    && n.contains("lifetime ended at 2025-11-21T04:40:04Z") && n.contains("gone by 2025-11-21T04:40:05.250Z")
                    && n.contains("journaled the release only at 2025-11-21T04:40:20Z"));
            assertThat(gap.causes()).anyMatch(step -> step.text()
                    .contains("removed by the kernel when its lifetime ended at 04:40:04.000"));
        });
    }

    @Test
    void shouldKeepACrashedAgentsAddressWithoutLifetimeUntilTheEndOfTheJournals() throws IOException {
        ClusterScript script = new ClusterScript()
                .ownerWithoutQuorum("n1", 0).masterSeen("n1", 1000, "192.0.2.12")
                .started("n2", 0).master("n2", 4000).bound("n2", 4001, 0).masterSeen("n2", 9000, "192.0.2.13");

        ForensicsReport report = analyze(script);

        assertThat(of(report, IncidentKind.DUAL_OWNERSHIP)).singleElement().satisfies(split -> {
            assertThat(split.minDurationMicros()).isEqualTo(ms(4999 - EPSILON_MS));
            assertThat(split.notes()).anyMatch(n -> n.contains("no kernel lifetime: the kernel keeps it until removed"));
        });
    }

    @Test
    void shouldNotCallAnOwnerWhoseJournalSimplyEndsEarlierThanAnothersAnOutage() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", 0).master("n1", 1).leaseRequested("n1", 1).leaseAcquired("n1", 10, 41).bound("n1", 11, 2)
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .masterSeen("n2", 20_000, "192.0.2.13");

        ForensicsReport report = analyze(script);

        assertThat(of(report, IncidentKind.NO_OWNER)).isEmpty();
        assertThat(report.intervals()).filteredOn(i -> i.kind() == IntervalKind.VIP).singleElement()
                .satisfies(vip -> assertThat(vip.endReason()).isEqualTo(EndReason.OPEN));
    }

    @Test
    void shouldKeepAQuietLeaseHoldersMasterAndAddressOpenWhenAnotherNodeWinsVrrpWithoutTheLease() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", 0).master("n1", 1).leaseRequested("n1", 1).leaseAcquired("n1", 10, 41).bound("n1", 11, 4)
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .role("n2", 4000, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down after 192.0.2.11"))
                .leaseRequested("n2", 4000)
                .role("n2", 16_000, RoleInput.MASTER, RoleInput.BACKUP, Cause.NONE);

        ForensicsReport report = analyze(script);

        assertThat(report.intervals()).filteredOn(i -> i.node().equals("n1"))
                .extracting(Interval::endReason).containsOnly(EndReason.OPEN);
        assertThat(of(report, IncidentKind.NO_OWNER)).isEmpty();
        assertThat(report.splitBrain()).isFalse();
    }

    @Test
    void shouldReportTheDualMasterOnceTheQuietOwnerJournalsTheOtherMasterAfterTheSplitHeals() throws IOException {
        ClusterScript script = new ClusterScript()
                .started("n1", 0).master("n1", 1).leaseRequested("n1", 1).leaseAcquired("n1", 10, 41).bound("n1", 11, 4)
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE)
                .role("n2", 4000, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down after 192.0.2.11"))
                .leaseRequested("n2", 4000)
                .masterSeen("n1", 16_000, "192.0.2.12")
                .role("n2", 16_001, RoleInput.MASTER, RoleInput.BACKUP, Cause.NONE);

        ForensicsReport report = analyze(script);

        assertThat(of(report, IncidentKind.DUAL_MASTER)).singleElement()
                .satisfies(d -> assertThat(d.summary()).contains("ownership stayed single: n1"));
        assertThat(of(report, IncidentKind.DUAL_OWNERSHIP)).isEmpty();
        assertThat(report.splitBrain()).isFalse();
    }

    @Test
    void shouldCloseTheLeftoverOfACrashedProcessWhenTheRestartedAgentRemovesIt() throws IOException {
        ClusterScript script = new ClusterScript()
                .ownerWithoutQuorum("n1", 0).masterSeen("n1", 1000, "192.0.2.12")
                .started("n1", 5000).released("n1", 5010)
                .role("n1", 5011, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE);

        ForensicsReport report = analyze(script);

        assertThat(report.intervals()).filteredOn(i -> i.kind() == IntervalKind.VIP).singleElement().satisfies(vip -> {
            assertThat(vip.endMinMicros()).isEqualTo(micros(5010)).isEqualTo(vip.endMaxMicros());
            assertThat(vip.endReason()).isEqualTo(EndReason.RECORDED);
        });
        assertThat(report.intervals()).filteredOn(i -> i.kind() == IntervalKind.ROLE && i.subject().equals("MASTER"))
                .singleElement().satisfies(master -> {
                    assertThat(master.endReason()).isEqualTo(EndReason.RESTARTED);
                    assertThat(master.endMinMicros()).isEqualTo(micros(1000));
                    assertThat(master.endMaxMicros()).isEqualTo(micros(5000));
                });
    }

    @Test
    void shouldReportDifferentConfigurationHashesOfNodesRunningTheSameInstance() throws IOException {
        ClusterScript differing = new ClusterScript()
                .started("n1", 0).config("n1", 1, 1).master("n1", 2)
                .started("n2", 0).config("n2", 1, 2).role("n2", 2, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE);
        ClusterScript same = new ClusterScript()
                .started("n1", 0).config("n1", 1, 1).master("n1", 2)
                .started("n2", 0).config("n2", 1, 1).role("n2", 2, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE);

        assertThat(of(analyze(differing), IncidentKind.CONFIG_DISAGREEMENT)).singleElement().satisfies(c -> {
            assertThat(c.nodes()).containsExactly("n1", "n2");
            assertThat(c.summary()).contains("n1 /etc/qvip/n1.conf sha256 010000000000…");
            assertThat(c.notes()).anyMatch(n -> n.contains("qvip lint FILE..."));
        });
        assertThat(of(Forensics.analyze(same.inMemory(), ForensicsSettings.DEFAULT), IncidentKind.CONFIG_DISAGREEMENT))
                .isEmpty();
    }

    @Test
    void shouldMergeByHlcThenNodeThenSeqAndDropDuplicates() {
        List<List<EventRecord>> journals = new ClusterScript()
                .started("n2", 0).started("n1", 0).master("n1", 5).master("n2", 3).inMemory();
        List<EventRecord> twice = journals.get(0);

        List<EventRecord> merged = MergedJournals.merge(List.of(journals.get(0), journals.get(1), twice));

        assertThat(merged).extracting(r -> r.node() + "#" + r.seq()).containsExactly("n1#1", "n2#1", "n2#2", "n1#2");
    }

    @Test
    void shouldReportOnlyIncidentsInsideTheWindow() {
        var journals = partitionWithoutQuorum().inMemory();

        ForensicsReport before = Forensics.analyze(journals,
                ForensicsSettings.DEFAULT.withWindow(micros(0), micros(2000)));
        ForensicsReport during = Forensics.analyze(journals,
                ForensicsSettings.DEFAULT.withWindow(micros(5000), micros(6000)));

        assertThat(before.incidents()).isEmpty();
        assertThat(during.splitBrain()).isTrue();
    }
}
