package io.quorumvip.forensics;

import static io.quorumvip.forensics.ClusterScript.micros;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load balancer's incidents on made-up journals: pools that held failed real servers, directors that differed. */
class PoolIncidentsTest {

    private static final String VS = "192.0.2.210:80";
    private static final String RS1 = "192.0.2.51:80";
    private static final String RS2 = "192.0.2.52:80";

    private static ClusterScript down(ClusterScript script, String node, long ms, String rs) {
        return script.event(node, ms, 0, Cause.NONE, new Event.RealServerDown(VS, rs,
                new Event.CheckEvidence("TCP_CHECK", "connect refused", 0, 0, 3_000_000, 4)));
    }

    private static ClusterScript up(ClusterScript script, String node, long ms, String rs) {
        return script.event(node, ms, 0, Cause.NONE, new Event.RealServerUp(VS, rs,
                new Event.CheckEvidence("TCP_CHECK", "connected", 0, 0, 1_000, 1)));
    }

    private static ClusterScript pool(ClusterScript script, String node, long ms, long generation, String... members) {
        return script.event(node, ms, 0, Cause.NONE, new Event.PoolChanged(VS, generation, Arrays.stream(members)
                .map(m -> new Event.PoolMemberEntry(m, 1, false)).toList()));
    }

    private static List<Incident> of(ClusterScript script, IncidentKind kind) {
        return Forensics.analyze(script.inMemory(), ForensicsSettings.DEFAULT).incidents().stream()
                .filter(i -> i.kind() == kind).toList();
    }

    @Test
    void shouldMeasureHowLongAPoolHeldARealServerAfterItsChecksFailed() {
        ClusterScript script = new ClusterScript().started("n1", 0);
        pool(script, "n1", 10, 1, RS1, RS2);
        down(script, "n1", 1_000, RS1);
        pool(script, "n1", 1_250, 2, RS2);

        assertThat(of(script, IncidentKind.POOL_HELD_FAILED_SERVER)).singleElement().satisfies(held -> {
            assertThat(held.startMicros()).isEqualTo(micros(1_000));
            assertThat(held.maxDurationMicros()).isEqualTo(250_000).isEqualTo(held.minDurationMicros());
            assertThat(held.nodes()).containsExactly("n1");
            assertThat(held.address()).isEqualTo(VS);
            assertThat(held.summary()).contains(RS1).contains("connect refused, 4 in a row").contains("left the pool");
            assertThat(held.causes()).hasSize(2);
        });
    }

    @Test
    void shouldReportARealServerStillInThePoolAtTheEndAndNoneWhenItCameBackFirst() {
        ClusterScript stuck = new ClusterScript().started("n1", 0);
        pool(stuck, "n1", 10, 1, RS1, RS2);
        down(stuck, "n1", 1_000, RS1);
        pool(stuck, "n1", 3_000, 2, RS1, RS2);
        ClusterScript flapped = new ClusterScript().started("n1", 0);
        pool(flapped, "n1", 10, 1, RS1, RS2);
        down(flapped, "n1", 1_000, RS1);
        up(flapped, "n1", 1_100, RS1);
        pool(flapped, "n1", 1_200, 2, RS1, RS2);

        assertThat(of(stuck, IncidentKind.POOL_HELD_FAILED_SERVER)).singleElement().satisfies(held -> {
            assertThat(held.endMicros()).isEqualTo(micros(3_000));
            assertThat(held.summary()).contains("still there at the end of the journals");
        });
        assertThat(of(flapped, IncidentKind.POOL_HELD_FAILED_SERVER)).isEmpty();
    }

    @Test
    void shouldReportTheWindowWhereTwoDirectorsPoolsDiffered() {
        ClusterScript script = new ClusterScript().started("n1", 0).started("n2", 0);
        pool(script, "n1", 10, 1, RS1, RS2);
        pool(script, "n2", 20, 1, RS1, RS2);
        pool(script, "n1", 1_000, 2, RS2);
        pool(script, "n2", 1_400, 2, RS2);
        pool(script, "n1", 5_000, 3, RS1, RS2);

        List<Incident> found = of(script, IncidentKind.POOL_DISAGREEMENT);

        assertThat(found).hasSize(2);
        assertThat(found.get(0)).satisfies(d -> {
            assertThat(d.startMicros()).isEqualTo(micros(1_000));
            assertThat(d.endMicros()).isEqualTo(micros(1_400));
            assertThat(d.nodes()).containsExactly("n1", "n2");
            assertThat(d.minDurationMicros()).isEqualTo(400_000 - 50_000);
            assertThat(d.maxDurationMicros()).isEqualTo(400_000 + 50_000);
        });
        assertThat(found.get(1).startMicros()).isEqualTo(micros(5_000));
        assertThat(found.get(1).summary()).contains(VS);
    }

    @Test
    void shouldLeaveAStoppedDirectorsPoolOutOfTheComparison() {
        ClusterScript script = new ClusterScript().started("n1", 0).started("n2", 0);
        pool(script, "n1", 10, 1, RS1, RS2);
        pool(script, "n2", 20, 1, RS1, RS2);
        script.stopped("n2", 500);
        pool(script, "n1", 1_000, 2, RS2);

        assertThat(of(script, IncidentKind.POOL_DISAGREEMENT)).isEmpty();
    }
}
