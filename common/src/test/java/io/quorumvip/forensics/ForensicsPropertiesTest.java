package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.ownership.RoleInput;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * DUAL_OWNERSHIP against generated ground truth: two nodes each hold the address once, in a hand-over shape (the
 * second starts and ends later than the first, by more than twice the bound), so only the clocks blur the overlap.
 */
class ForensicsPropertiesTest {

    private static ForensicsReport analyze(long a1, long a2, long b1, long b2, long skewB, long epsilon, boolean swap) {
        String first = swap ? "n2" : "n1";
        String second = swap ? "n1" : "n2";
        ClusterScript script = new ClusterScript();
        hold(script, first, a1, a2);
        hold(script, second, b1 + skewB, b2 + skewB);
        return Forensics.analyze(script.inMemory(), ForensicsSettings.DEFAULT.withClockUncertaintyMicros(epsilon * 1000));
    }

    private static void hold(ClusterScript script, String node, long from, long to) {
        script.started(node, from - 10)
                .role(node, from - 5, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down"))
                .bound(node, from, 0)
                .released(node, to)
                .role(node, to, RoleInput.MASTER, RoleInput.BACKUP, Cause.advert("192.0.2.12", 200))
                .event(node, to + 1, 0, new Cause(CauseKind.SHUTDOWN, "signal", 0), new Event.AgentStopped("test"));
    }

    @Property
    void dualOwnershipIsReportedIffTheJournaledOverlapExceedsTheClockBound(
            @ForAll @IntRange(min = 1500, max = 5000) int a2,
            @ForAll @IntRange(min = -1000, max = 1000) int overlap,
            @ForAll @IntRange(min = 0, max = 200) int epsilon,
            @ForAll @IntRange(min = 0, max = 3000) int tail,
            @ForAll boolean swap) {
        long b1 = a2 - overlap;
        long b2 = a2 + 2L * epsilon + 1 + tail;

        ForensicsReport report = analyze(0, a2, b1, b2, 0, epsilon, swap);

        assertThat(report.splitBrain()).isEqualTo(overlap > epsilon);
        report.incidents().stream().filter(i -> i.kind() == IncidentKind.DUAL_OWNERSHIP).forEach(split -> {
            assertThat(split.minDurationMicros()).isEqualTo((overlap - epsilon) * 1000L);
            assertThat(split.maxDurationMicros()).isEqualTo((overlap + epsilon) * 1000L);
        });
    }

    @Property
    void aSkewWithinTheBoundNeverInventsASplitBrainAndNeverHidesOneLongerThanTwiceTheBound(
            @ForAll @IntRange(min = 1500, max = 5000) int a2,
            @ForAll @IntRange(min = -1000, max = 1000) int trueOverlap,
            @ForAll @IntRange(min = 0, max = 200) int epsilon,
            @ForAll @IntRange(min = -200, max = 200) int skew,
            @ForAll boolean swap) {
        long skewB = Math.max(-epsilon, Math.min(epsilon, skew));
        long b1 = a2 - trueOverlap;
        long b2 = a2 + 2L * epsilon + 1 + 500;

        ForensicsReport report = analyze(0, a2, b1, b2, skewB, epsilon, swap);

        if (report.splitBrain()) {
            assertThat(trueOverlap).isPositive();
        }
        if (trueOverlap > 2 * epsilon) {
            assertThat(report.splitBrain()).isTrue();
        }
    }
}
