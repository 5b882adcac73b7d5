package io.quorumvip.check;

import io.quorumvip.config.CheckTiming;

/**
 * The numbers one checker's cycle runs by, in nanoseconds.
 *
 * @param retry                 extra attempts before a healthy checker is failed: down after retry+1 in a row
 * @param rise                  successes in a row a failed checker needs before it is up again (keepalived: 1)
 * @param alpha                 start failed instead of healthy
 */
public record CheckRules(int retry, int rise, long delayLoopNanos, long delayBeforeRetryNanos, long warmupNanos,
                         boolean alpha) {

    /** keepalived has no rise count: one success brings a checker back. */
    public static final int KEEPALIVED_RISE = 1;

    public CheckRules {
        if (retry < 0 || rise < 1 || delayLoopNanos <= 0 || delayBeforeRetryNanos < 0 || warmupNanos < 0) {
            throw new IllegalArgumentException("bad check rules: retry " + retry + ", rise " + rise + ", delay_loop "
                    + delayLoopNanos + " ns, delay_before_retry " + delayBeforeRetryNanos + " ns, warmup "
                    + warmupNanos + " ns");
        }
    }

    public static CheckRules of(CheckTiming timing) {
        return new CheckRules(timing.retry(), timing.rise(), timing.delayLoop().toNanos(),
                timing.delayBeforeRetry().toNanos(), timing.warmup().toNanos(), timing.alpha());
    }

    /**
     * How long after start the first probe runs: a point in [0, warmup) picked by {@code random}, so checks of many
     * real servers do not all fire at once (keepalived: "random delay to start the initial check").
     */
    public long firstProbeDelayNanos(long random) {
        return warmupNanos == 0 ? 0 : Math.floorMod(random, warmupNanos);
    }
}
