package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The connect_timeouts of a probe loop, with time passed in: who expires, when, and how long the loop may wait. */
class ProbeDeadlinesTest {

    private static final long MS = 1_000_000;

    private final Set<String> settled = new HashSet<>();
    private final ProbeDeadlines<String> deadlines = new ProbeDeadlines<>(settled::contains);
    private final List<String> expired = new ArrayList<>();

    @Test
    void shouldTellTheLoopToWaitForeverWithNothingInFlight() {
        assertThat(deadlines.waitMillis(0)).isEqualTo(-1);
    }

    @Test
    void shouldWaitUntilTheEarliestDeadlineOfAnyLengthRoundedUpToAMillisecond() {
        deadlines.add("slow", 0, 3000 * MS);
        deadlines.add("fast", 10 * MS, 1000 * MS);

        assertThat(deadlines.waitMillis(500 * MS + 1)).isEqualTo(510);
        assertThat(deadlines.waitMillis(1010 * MS)).isEqualTo(0);
    }

    @Test
    void shouldExpireOnlyWhatHadPassedWhenTheLastReadBegan() {
        deadlines.add("first", 0, 1000 * MS);
        deadlines.add("second", 5 * MS, 1000 * MS);

        deadlines.expire(1000 * MS - 1, expired::add);
        assertThat(expired).isEmpty();

        deadlines.expire(1002 * MS, expired::add);
        assertThat(expired).containsExactly("first");
        assertThat(deadlines.waitMillis(1002 * MS)).isEqualTo(3);
    }

    /** A connect read in the pass that began after its deadline passed is a success, not a timeout. */
    @Test
    void shouldNeverExpireAProbeSettledByItsOutcome() {
        deadlines.add("answered", 0, 1000 * MS);
        deadlines.add("silent", 0, 1000 * MS);
        settled.add("answered");

        deadlines.expire(2000 * MS, expired::add);

        assertThat(expired).containsExactly("silent");
        assertThat(deadlines.size()).isZero();
        assertThat(deadlines.waitMillis(2000 * MS)).isEqualTo(-1);
    }

    @Test
    void shouldNotWakeTheLoopForADeadlineWhoseProbeIsSettled() {
        deadlines.add("answered", 0, 100 * MS);
        deadlines.add("waiting", 0, 1000 * MS);
        settled.add("answered");

        assertThat(deadlines.waitMillis(0)).isEqualTo(1000);
    }

    @Test
    void shouldExpireEachLengthInItsOwnOrder() {
        deadlines.add("long", 0, 2000 * MS);
        deadlines.add("short", 100 * MS, 500 * MS);
        deadlines.add("short2", 200 * MS, 500 * MS);

        deadlines.expire(700 * MS, expired::add);
        assertThat(expired).containsExactly("short", "short2");

        deadlines.expire(2000 * MS, expired::add);
        assertThat(expired).containsExactly("short", "short2", "long");
    }

    @Test
    void shouldCompareAcrossTheNanoTimeWrap() {
        long start = Long.MAX_VALUE - 100 * MS;
        deadlines.add("wrapping", start, 1000 * MS);

        deadlines.expire(start + 999 * MS, expired::add);
        assertThat(expired).isEmpty();
        assertThat(deadlines.waitMillis(start + 999 * MS)).isEqualTo(1);

        deadlines.expire(start + 1000 * MS, expired::add);
        assertThat(expired).containsExactly("wrapping");
    }

    @Test
    void shouldRefuseATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> deadlines.add("none", 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connect_timeout");
    }
}
