package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When a probe loop hands its results over, with time passed in: a full batch at once, a small one later. */
class ResultHandOverTest {

    private static final long MS = 1_000_000;

    private final ResultHandOver handOver = new ResultHandOver(2 * MS, 3);

    @Test
    void shouldHandNothingOverAndLeaveTheWaitToTheSocketsWithoutAResult() {
        assertThat(handOver.due(100 * MS)).isFalse();
        assertThat(handOver.waitMillis(100 * MS, -1)).isEqualTo(-1);
        assertThat(handOver.waitMillis(100 * MS, 40)).isEqualTo(40);
    }

    @Test
    void shouldHoldASmallBatchUntilItsFirstResultWaitedTheInterval() {
        handOver.settled(10 * MS);
        handOver.settled(11 * MS);

        assertThat(handOver.due(12 * MS - 1)).isFalse();
        assertThat(handOver.due(12 * MS)).isTrue();
    }

    @Test
    void shouldHandAFullBatchOverAtOnce() {
        handOver.settled(10 * MS);
        handOver.settled(10 * MS);
        assertThat(handOver.due(10 * MS)).isFalse();

        handOver.settled(10 * MS);

        assertThat(handOver.due(10 * MS)).isTrue();
    }

    @Test
    void shouldWaitNoLongerThanUntilTheBatchIsDueRoundedUpToAMillisecond() {
        handOver.settled(10 * MS);

        assertThat(handOver.waitMillis(10 * MS + 1, -1)).isEqualTo(2);
        assertThat(handOver.waitMillis(11 * MS + 1, -1)).isEqualTo(1);
        assertThat(handOver.waitMillis(11 * MS + 1, 0)).isEqualTo(0);
        assertThat(handOver.waitMillis(10 * MS, 500)).isEqualTo(2);
        assertThat(handOver.waitMillis(13 * MS, 500)).isEqualTo(0);
    }

    @Test
    void shouldStartANewBatchAfterAHandOver() {
        handOver.settled(10 * MS);
        handOver.settled(10 * MS);
        handOver.handedOver();

        assertThat(handOver.due(20 * MS)).isFalse();
        assertThat(handOver.waitMillis(20 * MS, -1)).isEqualTo(-1);

        handOver.settled(20 * MS);
        assertThat(handOver.due(21 * MS)).isFalse();
        assertThat(handOver.due(22 * MS)).isTrue();
    }

    @Test
    void shouldRefuseANegativeIntervalOrAnEmptyFullBatch() {
        assertThatThrownBy(() -> new ResultHandOver(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 ns");
        assertThatThrownBy(() -> new ResultHandOver(MS, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full batch");
    }
}
