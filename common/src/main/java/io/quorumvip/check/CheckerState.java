package io.quorumvip.check;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One checker of one real server, after the results so far: keepalived's cycle (check_tcp.c {@code tcp_epilog},
 * the same in every checker), as a value. Time is passed in; nothing here reads a clock.
 *
 * <p>keepalived's rules: a checker starts healthy (failed with {@code alpha}) and its very first result decides at
 * once (check_data.c: "for non alpha mode, one failure is enough initially"). After that, a failure is retried
 * {@code retry} times {@code delay_before_retry} apart and the checker goes down on the retry+1-th failure in a row;
 * one success brings it up ({@code rise} successes when set). Between verdicts it waits {@code delay_loop}.
 *
 * <p>{@code fast_recovery} is keepalived's check_http.c {@code epilog}: a checker that is not up and knows of no
 * failure is probed again at once. Here that is a failed checker whose last probe succeeded, still short of
 * {@code rise}: its next successes come back to back, so it is up as soon as the server answers them.
 *
 * @param up            the checker's verdict
 * @param hasRun        a result has been seen
 * @param retryIt       failures counted towards {@code retry} since the last verdict or success
 * @param failures      failures in a row (evidence: "4th try")
 * @param successes     successes in a row while not up (for {@code rise}); an up checker stops counting them, as
 *                      nothing reads them before its next failure resets them
 * @param dynamicWeight the weight the last misc_dynamic success asked for
 * @param weightOffset  the last result's {@link ProbeResult#weightOffset()} when it succeeded (FILE_CHECK)
 * @param weightPercent the last result's {@link ProbeResult#weightPercent()} when it succeeded (AGENT_CHECK)
 */
public record CheckerState(boolean up, boolean hasRun, int retryIt, int failures, int successes,
                           OptionalInt dynamicWeight, OptionalInt weightOffset, OptionalInt weightPercent) {

    /** The result of one step: the new state, the verdict change if any, and how long until the next probe. */
    public record Step(CheckerState state, Optional<Change> change, long delayNanos) {
    }

    /** A verdict change with the result behind it and how many results in a row led to it. */
    public record Change(boolean up, ProbeResult evidence, int consecutive) {
    }

    public static CheckerState initial(CheckRules rules) {
        return new CheckerState(!rules.alpha(), false, rules.retry(), 0, 0, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty());
    }

    /**
     * True when a {@link ProbeResult#plainSuccess() plain success} gives back this state and asks for
     * {@code delay_loop}: the checker is up, has run, has no failure pending and follows no weight. The checks' loop
     * keeps this per checker, so that at 10,000 real servers the usual result is taken without reading the state.
     */
    public boolean steady() {
        return up && hasRun && retryIt == 0 && failures == 0 && dynamicWeight.isEmpty() && weightOffset.isEmpty()
                && weightPercent.isEmpty();
    }

    /**
     * The result of one step. A success to an up checker that changes no weight (at 10,000 real servers nearly every
     * result) gives back this state itself, with nothing allocated but the step, so that its real server's health
     * need not be rebuilt either.
     */
    public Step next(ProbeResult result, CheckRules rules) {
        if (result.success()) {
            OptionalInt weight = result.dynamicWeight();
            OptionalInt offset = result.weightOffset();
            OptionalInt percent = result.weightPercent();
            if (up) {
                CheckerState next = hasRun && retryIt == 0 && failures == 0 && weight.equals(dynamicWeight)
                        && offset.equals(weightOffset) && percent.equals(weightPercent) ? this
                        : new CheckerState(true, true, 0, 0, successes, weight, offset, percent);
                return new Step(next, Optional.empty(), rules.delayLoopNanos());
            }
            int successesNow = successes + 1;
            boolean rises = successesNow >= rules.rise();
            CheckerState next = new CheckerState(rises, true, 0, 0, successesNow, weight, offset, percent);
            Optional<Change> change = rises ? Optional.of(new Change(true, result, successesNow)) : Optional.empty();
            return new Step(next, change, rises ? rules.delayLoopNanos()
                    : rules.fastRecovery() ? 0 : rules.delayBeforeRetryNanos());
        }
        int failuresNow = failures + 1;
        OptionalInt none = OptionalInt.empty();
        if (retryIt >= rules.retry()) {
            CheckerState next = new CheckerState(false, true, 0, failuresNow, 0, dynamicWeight, none, none);
            Optional<Change> change = up ? Optional.of(new Change(false, result, failuresNow)) : Optional.empty();
            return new Step(next, change, rules.delayLoopNanos());
        }
        CheckerState next = new CheckerState(up, true, retryIt + 1, failuresNow, 0, dynamicWeight, none, none);
        return new Step(next, Optional.empty(), rules.delayBeforeRetryNanos());
    }
}
