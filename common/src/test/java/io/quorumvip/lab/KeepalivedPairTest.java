package io.quorumvip.lab;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real keepalived 2.2.7 with the pair samples, unchanged: proves the lab runs keepalived in namespaces, and shows
 * the split brain quorum-vip exists to prevent.
 */
class KeepalivedPairTest {

    private static final String VIP = "192.0.2.200";
    /** Generous: keepalived needs about 3.6 s (3 adverts + skew) to take over. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("keepalived", "arping", "nft");
    }

    @Test
    void shouldMoveTheVipToTheBackupWhenTheMasterCrashesButLeaveItOnTheDeadMastersKernel() {
        try (Lab lab = Lab.up(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            LabProcess keepalived1 = n1.startKeepalived(lab.keepalivedSample("pair-node1.conf"));
            n2.startKeepalived(lab.keepalivedSample("pair-node2.conf"));

            awaitMasterAndBackup(lab);
            assertThat(lab.vipHolders(VIP)).containsExactly("n1");
            assertThat(lab.arpMac(VIP)).contains(n1.mac());

            keepalived1.freezeAndKill();

            awaitCondition("n2 holds " + VIP, BOUND, () -> lab.vipHolders(VIP), holders -> holders.contains("n2"));
            awaitCondition("the client resolves " + VIP + " to n2's MAC " + n2.mac(), BOUND, () -> lab.arpMac(VIP),
                    Optional.of(n2.mac())::equals);
            // keepalived died without removing its address: both kernels hold the VIP and both answer ARP.
            assertThat(lab.vipHolders(VIP)).containsExactly("n1", "n2");
            assertThat(lab.arpReplies(VIP)).containsExactlyInAnyOrder(n1.mac(), n2.mac());
        }
    }

    @Test
    void shouldLetBothNodesClaimTheVipWhileVrrpIsBlockedAndHealAfterwards() {
        try (Lab lab = Lab.up(2)) {
            lab.node(1).startKeepalived(lab.keepalivedSample("pair-node1.conf"));
            lab.node(2).startKeepalived(lab.keepalivedSample("pair-node2.conf"));
            awaitMasterAndBackup(lab);

            lab.node(2).blockVrrp();
            awaitCondition("both nodes hold " + VIP, BOUND, () -> lab.vipHolders(VIP), Set.of("n1", "n2")::equals);
            assertThat(lab.arpReplies(VIP)).containsExactlyInAnyOrder(lab.node(1).mac(), lab.node(2).mac());

            lab.node(2).unblockVrrp();
            awaitCondition("only n1 holds " + VIP, BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);
        }
    }

    private static void awaitMasterAndBackup(Lab lab) {
        awaitCondition("n1 MASTER holding " + VIP + ", n2 BACKUP without it", BOUND, () -> states(lab),
                "n1=MASTER[\"192.0.2.200\"] n2=BACKUP[]"::equals);
    }

    private static String states(Lab lab) {
        StringBuilder states = new StringBuilder();
        for (JsonNode node : lab.status().path("nodes")) {
            states.append(states.isEmpty() ? "" : " ").append(node.path("node").asText()).append('=')
                    .append(node.path("state").asText()).append(node.path("vips"));
        }
        return states.toString();
    }
}
