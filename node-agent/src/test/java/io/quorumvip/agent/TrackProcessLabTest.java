package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * vrrp_track_process with our agents in lab namespaces (which share the host's /proc). The tracked process is a
 * {@code sleep} with an argument no other process has, matched exactly, so other tests' processes never count.
 */
class TrackProcessLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration BOUND = Duration.ofSeconds(15);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl", "sleep");
    }

    @Test
    void aKilledTrackedProcessShouldLowerPriorityByItsWeightAndItsReturnShouldRestoreIt() throws IOException {
        String argument = "86400." + ProcessHandle.current().pid();
        Process tracked = new ProcessBuilder("sleep", argument).start();
        try (Lab lab = Lab.up(2)) {
            LabAgent n1 = LabAgent.start(lab, lab.node(1), config("n1", 150, argument));
            LabAgent.start(lab, lab.node(2), config("n2", 100, argument));
            awaitCondition("n1 owns " + VIP, LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);

            tracked.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            awaitCondition("n2 preempts n1 whose priority fell to 150 - 60 = 90", BOUND,
                    () -> lab.vipHolders(VIP), Set.of("n2")::equals);
            assertThat(n1.status().path("instances").get(0).path("effective_priority").asInt()).isEqualTo(90);

            tracked = new ProcessBuilder("sleep", argument).start();
            awaitCondition("n1 takes " + VIP + " back at priority 150", BOUND, () -> lab.vipHolders(VIP),
                    Set.of("n1")::equals);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing the tracked process", e);
        } finally {
            tracked.destroyForcibly();
        }
    }

    /** Both nodes define the tracker; only n1 tracks it, so only n1's priority moves. */
    private static String config(String node, int priority, String argument) {
        return LabAgent.onePairInstance(node, priority, """
                vrrp_track_process chk_sleep {
                    process sleep %s
                    weight -60
                }
                """.formatted(argument), node.equals("n1") ? "track_process {\n        chk_sleep\n    }" : "");
    }
}
