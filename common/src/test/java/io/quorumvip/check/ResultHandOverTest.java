package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When a probe loop calls the checks' loop for its posted results, with time passed in. */
class ResultHandOverTest {

    private static final long MS = 1_000_000;

    private final ResultHandOver handOver = new ResultHandOver(2 * MS, 3);

    @Test
    void shouldCallForNothingAndLeaveTheWaitToTheSocketsWithoutAResult() {
        handOver.posted(100 * MS, 0);

        assertThat(handOver.due(100 * MS)).isFalse();
        assertThat(handOver.waitMillis(100 * MS, -1)).isEqualTo(-1);
        assertThat(handOver.waitMillis(100 * MS, 40)).isEqualTo(40);
    }

    @Test
    void shouldCallOnceTheFirstResultWaitedTheIntervalUncollected() {
        handOver.posted(10 * MS, 1);
        handOver.posted(11 * MS, 1);

        assertThat(handOver.due(12 * MS - 1)).isFalse();
        assertThat(handOver.due(12 * MS)).isTrue();
    }

    @Test
    void shouldCallForAFullBatchAtOnce() {
        handOver.posted(10 * MS, 2);
        assertThat(handOver.due(10 * MS)).isFalse();

        handOver.posted(10 * MS, 1);

        assertThat(handOver.due(10 * MS)).isTrue();
        assertThat(handOver.waitMillis(10 * MS, 500)).isZero();
    }

    @Test
    void shouldWaitNoLongerThanUntilACallIsDueRoundedUpToAMillisecond() {
        handOver.posted(10 * MS, 1);

        assertThat(handOver.waitMillis(10 * MS + 1, -1)).isEqualTo(2);
        assertThat(handOver.waitMillis(11 * MS + 1, -1)).isEqualTo(1);
        assertThat(handOver.waitMillis(11 * MS + 1, 0)).isEqualTo(0);
        assertThat(handOver.waitMillis(10 * MS, 500)).isEqualTo(2);
        assertThat(handOver.waitMillis(13 * MS, 500)).isEqualTo(0);
    }

    @Test
    void shouldCallOnlyOnceAndWaitForTheSocketsUntilTheResultsAreCollected() {
        handOver.posted(10 * MS, 1);
        assertThat(handOver.due(12 * MS)).isTrue();

        handOver.called();
        handOver.posted(13 * MS, 5);

        assertThat(handOver.due(20 * MS)).isFalse();
        assertThat(handOver.waitMillis(20 * MS, -1)).isEqualTo(-1);
        assertThat(handOver.waitMillis(20 * MS, 7)).isEqualTo(7);
    }

    @Test
    void shouldStartANewBatchOnceCollected() {
        handOver.posted(10 * MS, 2);
        handOver.called();
        handOver.collected();

        assertThat(handOver.due(20 * MS)).isFalse();
        assertThat(handOver.waitMillis(20 * MS, -1)).isEqualTo(-1);

        handOver.posted(20 * MS, 1);
        assertThat(handOver.due(21 * MS)).isFalse();
        assertThat(handOver.due(22 * MS)).isTrue();
    }

    @Test
    void shouldNeverCallWhenTheResultsAreCollectedWithinTheInterval() {
        for (long cycle = 0; cycle < 100; cycle++) {
            long start = cycle * MS;
            handOver.posted(start + MS / 10, 2);
            assertThat(handOver.due(start + MS)).isFalse();
            handOver.collected();
        }
    }

    @Test
    void shouldRefuseANegativeIntervalAnEmptyFullBatchOrANegativeCount() {
        assertThatThrownBy(() -> new ResultHandOver(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 ns");
        assertThatThrownBy(() -> new ResultHandOver(MS, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full batch");
        assertThatThrownBy(() -> handOver.posted(MS, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
