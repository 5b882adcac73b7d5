package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The hand-over driven as the probe loop drives it (a pass at every wake-up its wait allows, results posted, a call
 * sent when due) while the checks' loop collects at random moments: a call goes out at most once until the results
 * are collected, never before the batch is full or its first result waited the interval, and in time, so no result
 * waits uncollected and uncalled-for past the interval and the millisecond a wait is rounded to; and the probe loop
 * is never told to wait 0 ms without a call due (it would spin).
 */
class ResultHandOverProperties {

    private static final long MS = 1_000_000;
    private static final long INTERVAL = 10 * MS;
    private static final int FULL = 8;

    /**
     * Time moves by {@code advanceMicros} (with the probe loop's passes at the wake-ups its waits end in), then results
     * are posted ({@code posted} &gt; 0), the checks' loop collects (0), or a pass runs (&lt; 0).
     */
    record Step(long advanceMicros, int posted) {
    }

    // jqwik runs every try of a property on one instance: the try sets these first.
    private ResultHandOver handOver;
    private long now;
    private int waiting;
    private long firstPosted;
    private boolean called;

    @Property
    void shouldCallOnceInTimeAndNeverEarlyOrSpinning(@ForAll("starts") long start, @ForAll("steps") List<Step> steps) {
        handOver = new ResultHandOver(INTERVAL, FULL);
        now = start;
        waiting = 0;
        called = false;
        for (Step step : steps) {
            long until = now + step.advanceMicros() * 1_000;
            for (int wait = handOver.waitMillis(now, -1); wait >= 0 && now + wait * MS - until < 0;
                    wait = handOver.waitMillis(now, -1)) {
                now += wait * MS;
                pass();
            }
            now = until;
            if (step.posted() > 0) {
                if (waiting == 0) {
                    firstPosted = now;
                }
                waiting += step.posted();
                handOver.posted(now, step.posted());
                pass();
            } else if (step.posted() == 0) {
                if (waiting > 0 && !called) {
                    assertThat(now - firstPosted).as("waited uncalled-for").isLessThanOrEqualTo(INTERVAL + MS);
                }
                waiting = 0;
                called = false;
                handOver.collected();
            } else {
                pass();
            }
        }
    }

    private void pass() {
        boolean due = handOver.due(now);
        if (handOver.waitMillis(now, -1) == 0) {
            assertThat(due).as("a wait of 0 ms with no call due").isTrue();
        }
        if (!due) {
            if (waiting > 0 && !called) {
                assertThat(now - firstPosted).as("waited uncalled-for").isLessThan(INTERVAL + MS);
            }
            return;
        }
        assertThat(called).as("a second call before the results were collected").isFalse();
        assertThat(waiting >= FULL || now - firstPosted >= INTERVAL).as("a call before it was due").isTrue();
        handOver.called();
        called = true;
        assertThat(handOver.due(now)).isFalse();
        assertThat(handOver.waitMillis(now, 3)).isEqualTo(3);
    }

    @Provide
    Arbitrary<Long> starts() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.just(Long.MAX_VALUE - 5 * MS));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> advance = Arbitraries.longs().between(0, 25_000);
        Arbitrary<Step> post = Arbitraries.integers().between(1, 5).flatMap(n -> advance.map(a -> new Step(a, n)));
        Arbitrary<Step> collect = advance.map(a -> new Step(a, 0));
        Arbitrary<Step> pass = advance.map(a -> new Step(a, -1));
        return Arbitraries.frequencyOf(Tuple.of(4, post), Tuple.of(2, collect), Tuple.of(2, pass)).list().ofMaxSize(200);
    }
}
