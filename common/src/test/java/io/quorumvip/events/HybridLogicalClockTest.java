package io.quorumvip.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

    @Test
    void shouldFollowWallClockWhenItMovesForward() {
        var clock = new HybridLogicalClock(0);
        long stamp = clock.tick(1_000);
        assertThat(HybridLogicalClock.physicalMillis(stamp)).isEqualTo(1_000);
        assertThat(HybridLogicalClock.logical(stamp)).isZero();
    }

    @Test
    void shouldCountLogicallyWhenWallClockStandsStillOrStepsBack() {
        var clock = new HybridLogicalClock(0);
        clock.tick(1_000);
        long same = clock.tick(1_000);
        long back = clock.tick(900);
        assertThat(HybridLogicalClock.physicalMillis(back)).isEqualTo(1_000);
        assertThat(HybridLogicalClock.logical(same)).isEqualTo(1);
        assertThat(HybridLogicalClock.logical(back)).isEqualTo(2);
    }

    @Test
    void shouldStampAfterARemoteStampFromTheFuture() {
        var clock = new HybridLogicalClock(0);
        long remote = HybridLogicalClock.of(5_000, 7);
        long stamp = clock.receive(remote, 1_000);
        assertThat(stamp).isGreaterThan(remote);
        assertThat(HybridLogicalClock.physicalMillis(stamp)).isEqualTo(5_000);
        assertThat(HybridLogicalClock.logical(stamp)).isEqualTo(8);
    }

    @Test
    void shouldRejectNegativeWallTime() {
        assertThatThrownBy(() -> HybridLogicalClock.of(-1, 0)).hasMessageContaining("got -1");
    }

    @Property
    void shouldIssueStrictlyIncreasingStamps(@ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 4_000_000_000_000L) Long> walls) {
        var clock = new HybridLogicalClock(0);
        long previous = -1;
        for (long wall : walls) {
            long stamp = clock.tick(wall);
            assertThat(stamp).isGreaterThan(previous);
            assertThat(HybridLogicalClock.physicalMillis(stamp)).isGreaterThanOrEqualTo(wall);
            previous = stamp;
        }
    }
}
