package io.quorumvip.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlineCalendarTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final DeadlineCalendar<String> calendar = new DeadlineCalendar<>();

    @Test
    void shouldWakeAtTheEarliestDeadlineAndFireEveryWindowOpenByThen() {
        calendar.schedule("a", 80 * MS, 100 * MS);
        calendar.schedule("b", 95 * MS, 115 * MS);
        calendar.schedule("c", 130 * MS, 150 * MS);

        assertThat(calendar.nextWakeNanos()).hasValue(100 * MS);
        assertThat(calendar.takeDue(100 * MS)).containsExactly("a", "b");
        assertThat(calendar.nextWakeNanos()).hasValue(150 * MS);
        assertThat(calendar.size()).isEqualTo(1);
    }

    @Test
    void shouldNeverFireATimerBeforeItsWindowOpens() {
        calendar.schedule("a", 100 * MS, 120 * MS);

        assertThat(calendar.takeDue(100 * MS - 1)).isEmpty();
        assertThat(calendar.takeDue(100 * MS)).containsExactly("a");
    }

    @Test
    void shouldFireAStrictDeadlineAtItselfAndGatherOnlyEarlierOnes() {
        calendar.schedule("validity", 110 * MS, 110 * MS);
        calendar.schedule("advert", 100 * MS, 200 * MS);
        calendar.schedule("renewal", 120 * MS, 120 * MS);

        assertThat(calendar.nextWakeNanos()).hasValue(110 * MS);
        assertThat(calendar.takeDue(110 * MS)).containsExactly("advert", "validity");
        assertThat(calendar.nextWakeNanos()).hasValue(120 * MS);
    }

    @Test
    void shouldReplaceAKeysTimerWhenScheduledAgain() {
        calendar.schedule("a", 100 * MS, 100 * MS);
        calendar.schedule("a", 300 * MS, 300 * MS);

        assertThat(calendar.nextWakeNanos()).hasValue(300 * MS);
        assertThat(calendar.takeDue(200 * MS)).isEmpty();
        assertThat(calendar.takeDue(300 * MS)).containsExactly("a");
    }

    @Test
    void shouldForgetACancelledKey() {
        calendar.schedule("a", 100 * MS, 100 * MS);
        calendar.cancel("a");
        calendar.cancel("never scheduled");

        assertThat(calendar.nextWakeNanos()).isEmpty();
        assertThat(calendar.takeDue(SECOND)).isEmpty();
    }

    @Test
    void shouldOrderTimersAcrossTheWrapOfTheMonotonicClock() {
        calendar.schedule("before", Long.MAX_VALUE - 10 * MS, Long.MAX_VALUE - 10 * MS);
        calendar.schedule("after", Long.MIN_VALUE + 10 * MS, Long.MIN_VALUE + 10 * MS);

        assertThat(calendar.nextWakeNanos()).hasValue(Long.MAX_VALUE - 10 * MS);
        assertThat(calendar.takeDue(Long.MAX_VALUE)).containsExactly("before");
        assertThat(calendar.takeDue(Long.MIN_VALUE + 10 * MS)).containsExactly("after");
    }

    @Test
    void shouldRefuseAWindowThatOpensAfterItsDeadline() {
        assertThatThrownBy(() -> calendar.schedule("a", 100 * MS, 99 * MS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timer window of a")
                .hasMessageContaining("expected earliest <= deadline");
    }

    /**
     * 1,000 one-second adverts spread over a second, each allowed 100 ms early (as {@link InstanceCore} allows a
     * master): after a few seconds they go out in at most ten wake-ups a second, none late.
     */
    @Test
    void shouldGatherSpreadAdvertsIntoAtMostTenWakeUpsASecond() {
        Random random = new Random(11);
        long early = SECOND / 10;
        for (int i = 0; i < 1_000; i++) {
            long deadline = random.nextLong(SECOND);
            calendar.schedule("VI_" + i, deadline - early, deadline);
        }
        long now = 0;
        int wakeUpsInTheLastSecond = 0;
        while (now < 30 * SECOND) {
            now = calendar.nextWakeNanos().orElseThrow();
            for (String key : calendar.takeDue(now)) {
                calendar.schedule(key, now + SECOND - early, now + SECOND);
            }
            if (now >= 29 * SECOND) {
                wakeUpsInTheLastSecond++;
            }
        }
        assertThat(wakeUpsInTheLastSecond).isBetween(1, 10);
        assertThat(calendar.size()).isEqualTo(1_000);
    }

    /** Whatever the mix, a key fires inside its window when the driver wakes when told. */
    @Test
    void shouldFireEveryKeyInsideItsWindow() {
        Random random = new Random(7);
        long[] earliest = new long[200];
        long[] deadline = new long[200];
        for (int i = 0; i < 200; i++) {
            deadline[i] = random.nextLong(SECOND);
            earliest[i] = deadline[i] - (random.nextBoolean() ? 0 : random.nextLong(100 * MS));
            calendar.schedule(String.valueOf(i), earliest[i], deadline[i]);
        }
        int fired = 0;
        for (OptionalLong wake = calendar.nextWakeNanos(); wake.isPresent(); wake = calendar.nextWakeNanos()) {
            long now = wake.getAsLong();
            for (String key : calendar.takeDue(now)) {
                int i = Integer.parseInt(key);
                assertThat(now).isBetween(earliest[i], deadline[i]);
                fired++;
            }
        }
        assertThat(fired).isEqualTo(200);
    }
}
