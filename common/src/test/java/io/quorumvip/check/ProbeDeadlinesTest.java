package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The connect_timeouts of a probe loop, with time passed in: who expires, when, and how long the loop may wait. */
class ProbeDeadlinesTest {

    private static final long MS = 1_000_000;

    private final Set<String> settled = new HashSet<>();
    private final Map<String, Long> latest = new HashMap<>();
    private final ProbeDeadlines<String> deadlines = new ProbeDeadlines<>((probe, deadline) -> !settled.contains(probe)
            && latest.get(probe) == deadline);
    private final List<String> expired = new ArrayList<>();

    private void add(String probe, long startNanos, long timeoutNanos) {
        latest.put(probe, deadlines.add(probe, startNanos, timeoutNanos));
    }

    @Test
    void shouldTellTheLoopToWaitForeverWithNothingInFlight() {
        assertThat(deadlines.waitMillis(0)).isEqualTo(-1);
    }

    @Test
    void shouldWaitUntilTheEarliestDeadlineOfAnyLengthRoundedUpToAMillisecond() {
        add("slow", 0, 3000 * MS);
        add("fast", 10 * MS, 1000 * MS);

        assertThat(deadlines.waitMillis(500 * MS + 1)).isEqualTo(510);
        assertThat(deadlines.waitMillis(1010 * MS)).isEqualTo(0);
    }

    @Test
    void shouldExpireOnlyWhatHadPassedWhenTheLastReadBegan() {
        add("first", 0, 1000 * MS);
        add("second", 5 * MS, 1000 * MS);

        deadlines.expire(1000 * MS - 1, expired::add);
        assertThat(expired).isEmpty();

        deadlines.expire(1002 * MS, expired::add);
        assertThat(expired).containsExactly("first");
        assertThat(deadlines.waitMillis(1002 * MS)).isEqualTo(3);
    }

    /** A connect read in the pass that began after its deadline passed is a success, not a timeout. */
    @Test
    void shouldNeverExpireAProbeSettledByItsOutcome() {
        add("answered", 0, 1000 * MS);
        add("silent", 0, 1000 * MS);
        settled.add("answered");

        deadlines.expire(2000 * MS, expired::add);

        assertThat(expired).containsExactly("silent");
        assertThat(deadlines.size()).isZero();
        assertThat(deadlines.waitMillis(2000 * MS)).isEqualTo(-1);
    }

    @Test
    void shouldNotWakeTheLoopForADeadlineWhoseProbeIsSettled() {
        add("answered", 0, 100 * MS);
        add("waiting", 0, 1000 * MS);
        settled.add("answered");

        assertThat(deadlines.waitMillis(0)).isEqualTo(1000);
    }

    @Test
    void shouldExpireEachLengthInItsOwnOrder() {
        add("long", 0, 2000 * MS);
        add("short", 100 * MS, 500 * MS);
        add("short2", 200 * MS, 500 * MS);

        deadlines.expire(700 * MS, expired::add);
        assertThat(expired).containsExactly("short", "short2");

        deadlines.expire(2000 * MS, expired::add);
        assertThat(expired).containsExactly("short", "short2", "long");
    }

    @Test
    void shouldCompareAcrossTheNanoTimeWrap() {
        long start = Long.MAX_VALUE - 100 * MS;
        add("wrapping", start, 1000 * MS);

        deadlines.expire(start + 999 * MS, expired::add);
        assertThat(expired).isEmpty();
        assertThat(deadlines.waitMillis(start + 999 * MS)).isEqualTo(1);

        deadlines.expire(start + 1000 * MS, expired::add);
        assertThat(expired).containsExactly("wrapping");
    }

    /** Bytes came at 800 ms: the answer's next wait gets a whole timeout again, so 1000 ms is not its deadline. */
    @Test
    void shouldHoldAProbeToItsLatestDeadlineOnly() {
        add("reading", 0, 1000 * MS);
        add("other", 100 * MS, 1000 * MS);
        add("reading", 800 * MS, 1000 * MS);

        deadlines.expire(1500 * MS, expired::add);
        assertThat(expired).containsExactly("other");
        assertThat(deadlines.waitMillis(1500 * MS)).isEqualTo(300);

        deadlines.expire(1800 * MS, expired::add);
        assertThat(expired).containsExactly("other", "reading");
    }

    @Test
    void shouldRefuseATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> deadlines.add("none", 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connect_timeout");
    }
}
