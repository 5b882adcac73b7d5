package io.quorumvip.agent.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The observer's arithmetic on a hand-made timeline, so the scenarios' figures can be trusted. */
class OwnershipTimelineTest {

    private static final long MS = 1_000_000;

    private static OwnershipTimeline.Sample at(long millis, String... holders) {
        return new OwnershipTimeline.Sample(millis * MS, 2 * MS, Set.of(holders));
    }

    private final OwnershipTimeline handOver = new OwnershipTimeline(List.of(
            at(0, "n1"), at(20, "n1"), at(40), at(60), at(100, "n2"), at(120, "n1", "n2"), at(150, "n2"),
            at(170, "n2")));

    @Test
    void shouldCountTheTimeEachHolderSetLastedUntilTheNextPoll() {
        assertThat(handOver.noOwnerMillis()).isEqualTo(60);
        assertThat(handOver.doubleOwnershipMillis()).isEqualTo(30);
        assertThat(handOver.maxHolders()).isEqualTo(2);
    }

    @Test
    void shouldCountEveryChangeOfTheHolderSet() {
        assertThat(handOver.changes()).isEqualTo(4);
        assertThat(handOver.holderSets()).containsExactly(Set.of("n1"), Set.of(), Set.of("n2"), Set.of("n1", "n2"));
    }

    @Test
    void shouldBracketBindsAndReleasesBetweenThePollsAroundThem() {
        assertThat(handOver.firstChange()).contains(new OwnershipTimeline.Change(20 * MS, 40 * MS));
        assertThat(handOver.firstRelease("n1")).contains(new OwnershipTimeline.Change(20 * MS, 40 * MS));
        assertThat(handOver.firstBind("n2")).contains(new OwnershipTimeline.Change(60 * MS, 100 * MS));
        assertThat(handOver.from(110 * MS).firstBind("n2")).isEmpty();
        assertThat(handOver.firstBind("n3")).isEmpty();
    }

    @Test
    void shouldSelectSamplesFromInclusiveToExclusive() {
        OwnershipTimeline window = handOver.between(40 * MS, 120 * MS);

        assertThat(window.samples()).extracting(OwnershipTimeline.Sample::atNanos)
                .containsExactly(40 * MS, 60 * MS, 100 * MS);
        assertThat(window.changes()).isEqualTo(1);
    }

    @Test
    void shouldReportTheRealGapsBetweenPolls() {
        assertThat(handOver.maxGapMillis()).isEqualTo(40);
        assertThat(handOver.medianGapMillis()).isEqualTo(20);
        assertThat(handOver.maxReadMillis()).isEqualTo(2);
    }

    @Test
    void shouldDescribeEachChangeRelativeToTheFault() {
        assertThat(handOver.describe(40 * MS)).contains("-40 ms [n1]", "+0 ms []", "+60 ms [n2]");
    }

    @Test
    void shouldReportNothingForAnEmptyTimeline() {
        OwnershipTimeline empty = new OwnershipTimeline(List.of());

        assertThat(empty.maxHolders()).isZero();
        assertThat(empty.noOwnerMillis()).isZero();
        assertThat(empty.changes()).isZero();
        assertThat(empty.firstChange()).isEmpty();
        assertThat(empty.maxGapMillis()).isZero();
    }
}
