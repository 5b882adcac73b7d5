package io.quorumvip.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When DR's neighbour table is re-read: rarely under a flood of check results, yet soon enough to follow a MAC. */
class NeighbourReadsTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldReadOnceForTenThousandResultsInOneSecond() {
        NeighbourReads reads = new NeighbourReads();
        int taken = 0;
        for (int i = 0; i < 10_000; i++) {
            if (reads.shouldRead(5 * MS + i * 99_000L, false)) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(1);
    }

    @Test
    void shouldReadAtMostOncePerMinGapWhenRealServersWithoutAMacAnswer() {
        NeighbourReads reads = new NeighbourReads();
        List<Long> at = new ArrayList<>();
        for (long t = 0; t < 1000 * MS; t += MS) {
            if (reads.shouldRead(t, true)) {
                at.add(t / MS);
            }
        }
        assertThat(at).containsExactly(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L);
    }

    @Test
    void shouldFollowAChangedMacWithinOnePeriodOfCheckResults() {
        NeighbourReads reads = new NeighbourReads();
        Map<String, String> kernel = new HashMap<>(Map.of("192.0.2.51", "32:8e:1b:14:65:16"));
        Map<String, String> programmed = Map.of();
        long changedAt = 1_300 * MS;
        long followedAt = -1;
        for (long t = 1_000 * MS; t < 4_000 * MS && followedAt < 0; t += 7 * MS) {
            if (t >= changedAt) {
                kernel.put("192.0.2.51", "02:00:00:00:00:01");
            }
            if (reads.shouldRead(t, false)) {
                programmed = Map.copyOf(kernel);
            }
            if ("02:00:00:00:00:01".equals(programmed.get("192.0.2.51"))) {
                followedAt = t;
            }
        }
        assertThat(followedAt).isGreaterThanOrEqualTo(changedAt)
                .isLessThanOrEqualTo(changedAt + NeighbourReads.PERIOD.toNanos());
    }

    @Test
    void shouldReadFirstTimeWhateverTheClockSays() {
        assertThat(new NeighbourReads().shouldRead(Long.MIN_VALUE + 5, false)).isTrue();
        NeighbourReads wrapped = new NeighbourReads();
        assertThat(wrapped.shouldRead(Long.MAX_VALUE - 10 * MS, false)).isTrue();
        assertThat(wrapped.shouldRead(Long.MAX_VALUE, false)).isFalse();
        assertThat(wrapped.shouldRead(Long.MAX_VALUE + 1_000 * MS, false)).isTrue();
    }

    @Test
    void shouldRefuseAPeriodShorterThanTheGap() {
        assertThatThrownBy(() -> new NeighbourReads(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.01S");
    }
}
