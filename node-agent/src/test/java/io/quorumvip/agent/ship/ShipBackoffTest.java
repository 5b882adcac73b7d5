package io.quorumvip.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ShipBackoffTest {

    @Property
    void shouldWaitBetweenHalfAndAllOfTheDoubledDelayCappedAtTheMaximum(@ForAll @IntRange(min = 1, max = 100) int failures,
            @ForAll long seed) {
        long full = Math.min(100L << Math.min(failures - 1, 30), 5000);

        Duration delay = ShipBackoff.DEFAULT.delay(failures, new Random(seed));

        assertThat(delay.toMillis()).isBetween(full / 2, full);
    }

    @Test
    void shouldStartAt100MsAndReach5Seconds() {
        Random random = new Random(1);

        assertThat(ShipBackoff.DEFAULT.delay(1, random).toMillis()).isBetween(50L, 100L);
        assertThat(ShipBackoff.DEFAULT.delay(7, random).toMillis()).isBetween(2500L, 5000L);
        assertThat(ShipBackoff.DEFAULT.longest(random).toMillis()).isBetween(2500L, 5000L);
    }

    @Test
    void shouldRejectAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new ShipBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("ship backoff got initial PT2S, max PT1S (expected 0 < initial <= max)");
    }
}
