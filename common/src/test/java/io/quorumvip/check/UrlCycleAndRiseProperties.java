package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Per-url cycling of HTTP_GET/SSL_GET and the rise damping, for any sizes and any results. */
class UrlCycleAndRiseProperties {

    private static final ProbeResult OK = ProbeResult.success("HTTP 200", Duration.ofMillis(1));
    private static final ProbeResult FAIL = ProbeResult.failure("HTTP 503", Duration.ofMillis(1));
    private static final long LOOP = 2_000_000_000L;
    private static final long RETRY_DELAY = 500_000_000L;

    @Property
    void shouldTestEveryUrlOnceInOrderWhenAllSucceed(@ForAll @IntRange(min = 1, max = 9) int urls) {
        UrlCycle cycle = UrlCycle.start(urls);
        for (int i = 0; i < urls; i++) {
            assertThat(cycle.current()).isEqualTo(i);
            cycle = cycle.after(true);
        }
        assertThat(cycle.current()).isZero();
    }

    @Property
    void shouldRetryTheSameUrlAfterAFailure(@ForAll @IntRange(min = 1, max = 9) int urls,
                                            @ForAll @Size(max = 40) List<Boolean> results) {
        UrlCycle cycle = UrlCycle.start(urls);
        for (boolean success : results) {
            UrlCycle next = cycle.after(success);
            assertThat(next.current()).isEqualTo(success ? (cycle.current() + 1) % urls : cycle.current());
            cycle = next;
        }
    }

    @Property
    void shouldRestartTheRiseCountOnAnyFailure(@ForAll @IntRange(min = 2, max = 6) int rise,
                                               @ForAll @IntRange(min = 1, max = 5) int successesBefore) {
        CheckRules rules = new CheckRules(0, rise, LOOP, RETRY_DELAY, 0, true);
        CheckerState state = CheckerState.initial(rules);
        for (int i = 0; i < Math.min(successesBefore, rise - 1); i++) {
            state = state.next(OK, rules).state();
        }
        state = state.next(FAIL, rules).state();
        for (int i = 1; i < rise; i++) {
            CheckerState.Step step = state.next(OK, rules);
            assertThat(step.change()).as("success %d of rise %d after a failure", i, rise).isEmpty();
            assertThat(step.delayNanos()).as("a damped checker keeps probing at delay_before_retry")
                    .isEqualTo(RETRY_DELAY);
            state = step.state();
        }
        assertThat(state.next(OK, rules).change()).hasValueSatisfying(c -> assertThat(c.consecutive())
                .isEqualTo(rise));
    }

    @Property
    void shouldGoDownAfterRetryPlusOneFailuresWhateverTheRise(@ForAll @IntRange(max = 6) int retry,
                                                               @ForAll @IntRange(min = 1, max = 6) int rise) {
        CheckRules rules = new CheckRules(retry, rise, LOOP, RETRY_DELAY, 0, false);
        CheckerState state = CheckerState.initial(rules).next(OK, rules).state();
        for (int failure = 1; failure <= retry; failure++) {
            CheckerState.Step step = state.next(FAIL, rules);
            assertThat(step.change()).isEmpty();
            state = step.state();
        }
        assertThat(state.next(FAIL, rules).change()).hasValueSatisfying(c -> {
            assertThat(c.up()).isFalse();
            assertThat(c.consecutive()).isEqualTo(retry + 1);
        });
    }
    @Property
    void shouldChangeOnlyTheDelayOfAFailedCheckerThatSucceededWithFastRecovery(
            @ForAll @IntRange(min = 0, max = 3) int retry, @ForAll @IntRange(min = 1, max = 4) int rise,
            @ForAll boolean alpha, @ForAll @Size(max = 40) List<Boolean> results) {
        CheckRules keepalived = new CheckRules(retry, rise, LOOP, RETRY_DELAY, 0, alpha);
        CheckRules fast = new CheckRules(retry, rise, LOOP, RETRY_DELAY, 0, alpha, true);
        CheckerState slow = CheckerState.initial(keepalived);
        CheckerState quick = CheckerState.initial(fast);
        for (boolean success : results) {
            ProbeResult result = success ? OK : FAIL;
            CheckerState.Step plain = slow.next(result, keepalived);
            CheckerState.Step recovering = quick.next(result, fast);
            assertThat(recovering.state()).isEqualTo(plain.state());
            assertThat(recovering.change()).isEqualTo(plain.change());
            boolean stillFailed = success && !plain.state().up();
            assertThat(recovering.delayNanos()).as("success %s, still failed %s", success, stillFailed)
                    .isEqualTo(stillFailed ? 0 : plain.delayNanos());
            slow = plain.state();
            quick = recovering.state();
        }
    }

    @Property
    void shouldBringAFailedCheckerBackWithRiseBackToBackSuccessesWithFastRecovery(
            @ForAll @IntRange(min = 1, max = 6) int rise) {
        CheckRules rules = new CheckRules(0, rise, LOOP, RETRY_DELAY, 0, true, true);
        CheckerState state = CheckerState.initial(rules);
        long waited = 0;
        for (int i = 1; i < rise; i++) {
            CheckerState.Step step = state.next(OK, rules);
            waited += step.delayNanos();
            state = step.state();
        }
        CheckerState.Step last = state.next(OK, rules);

        assertThat(waited).as("no delay_before_retry between the successes of a recovering checker").isZero();
        assertThat(last.change()).hasValueSatisfying(c -> assertThat(c.up()).isTrue());
        assertThat(last.delayNanos()).as("once up, delay_loop again").isEqualTo(LOOP);
    }
}
