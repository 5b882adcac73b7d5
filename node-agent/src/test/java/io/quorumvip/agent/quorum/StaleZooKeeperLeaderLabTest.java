package io.quorumvip.agent.quorum;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lab.LabZooKeeper;
import io.quorumvip.lease.LeaseTiming;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stale ZooKeeper leader of docs/safety.md, step 2, with real agents and ZooKeeper's usual tick of 2 s: n1, the
 * owner, talks only to the ensemble's leader, n2 only to its followers, and the leader is cut off from its
 * followers while n1 still reaches it. The leader keeps answering n1 until its tick loop notices (up to
 * (syncLimit + 1) ticks), while the followers elect a new leader that re-arms n1's session; n2 can take over once
 * that one expires it. The lease's margin (1.5 × tickTime − 200 ms for the stale leader: 2.8 s here) must make n1's
 * address go before n2 binds. Ground truth is both kernels, polled by an {@link OwnershipObserver}.
 */
class StaleZooKeeperLeaderLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration ZK_TICK = Duration.ofMillis(2000);
    private static final Duration SESSION_TIMEOUT = Duration.ofMillis(6000);
    /** Two agent JVMs and their first sessions beside three ZooKeeper JVMs on a loaded 2-core machine. */
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    /** syncLimit 5 × 2 s before the followers give up their leader, an election, then S and a tick of rounding. */
    private static final Duration TAKE_OVER_BOUND = Duration.ofSeconds(45);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("java", "mvn", "nft", "curl", "timeout", "bash");
    }

    @Test
    void anOwnerOnALeaderCutOffFromItsFollowersShouldLoseTheVipBeforeTheOtherNodeBindsIt() {
        try (Lab lab = Lab.up(2, 3, ZK_TICK)) {
            LabZooKeeper leader = lab.zkLeader().orElseThrow(() -> new AssertionError("no ZooKeeper server leads"));
            List<LabZooKeeper> followers = lab.zkServers().stream().filter(zk -> zk.id() != leader.id()).toList();
            String followersConnect = followers.stream().map(LabZooKeeper::connectAddress)
                    .collect(Collectors.joining(","));
            LabAgent n1 = LabAgent.start(lab, lab.node(1), LabAgent.sampleConfig(lab, "pair-node1.conf")
                    + LabAgent.quorumBlock(lab, SESSION_TIMEOUT, leader.connectAddress(), ZK_TICK));
            LabAgent n2 = LabAgent.start(lab, lab.node(2), LabAgent.sampleConfig(lab, "pair-node2.conf")
                    + LabAgent.quorumBlock(lab, SESSION_TIMEOUT, followersConnect, ZK_TICK));
            awaitCondition("n1 owns " + VIP + " and n2 is BACKUP", START_BOUND,
                    () -> lab.vipHolders(VIP) + " " + n1.stateSummary() + " " + n2.stateSummary(),
                    "[n1] MASTER vip_owned=true BACKUP vip_owned=false"::equals);

            long cut;
            OwnershipTimeline timeline;
            try (OwnershipObserver observer = OwnershipObserver.start(lab.nodes(), VIP)) {
                cut = System.nanoTime();
                leader.cutOffFrom(followers);
                awaitCondition("n2 binds " + VIP + " after n1's session expired", TAKE_OVER_BOUND,
                        () -> observer.timeline().from(cut).firstBind("n2"), Optional::isPresent);
                timeline = observer.timeline();
            }
            OwnershipTimeline.Change n1Release = timeline.from(cut).firstRelease("n1").orElseThrow();
            OwnershipTimeline.Change n2Bind = timeline.from(cut).firstBind("n2").orElseThrow();
            String newLeader = lab.zkLeader().map(LabZooKeeper::name).orElse("none");
            System.out.printf("measured: stale zookeeper leader: tick_ms=%d old_leader=%s new_leader=%s "
                            + "n1_released_ms=%d n2_bound_ms=%d no_owner_ms=%d max_holders=%d%n", ZK_TICK.toMillis(),
                    leader.name(), newLeader, millis(n1Release.seenNanos() - cut), millis(n2Bind.seenNanos() - cut),
                    millis(n2Bind.seenNanos() - n1Release.seenNanos()), timeline.maxHolders());

            assertThat(timeline.maxHolders()).as("most nodes holding %s at one poll; timeline: %s", VIP, timeline)
                    .isLessThanOrEqualTo(1);
            assertThat(timeline.medianGapMillis()).as("median ms between polls").isLessThanOrEqualTo(50);
            // Without answers after the cut, n1's address would be gone by the validity of its last answer plus
            // the kernel's overshoot; holding it longer shows the stale leader answered, the case under test.
            long validityOfALastAnswerBeforeTheCut = LeaseTiming.of(SESSION_TIMEOUT, ZK_TICK).validityNanos()
                    + LeaseTiming.KERNEL_OVERSHOOT.toNanos();
            assertThat(n1Release.beforeNanos() - cut)
                    .as("n1 still held %s %d ms after the cut (the stale leader answered it)", VIP,
                            millis(n1Release.beforeNanos() - cut))
                    .isGreaterThan(validityOfALastAnswerBeforeTheCut);
            assertThat(n1Release.seenNanos()).as("n1's address gone before n2 bound it")
                    .isLessThanOrEqualTo(n2Bind.beforeNanos());
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
