package io.quorumvip.check;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckTiming;
import io.quorumvip.config.CheckerConfig;

/**
 * The numbers one checker's cycle runs by, in nanoseconds.
 *
 * @param retry                 extra attempts before a healthy checker is failed: down after retry+1 in a row
 * @param rise                  successes in a row a failed checker needs before it is up again (keepalived: 1)
 * @param alpha                 start failed instead of healthy
 * @param fastRecovery          HTTP_GET/SSL_GET {@code fast_recovery}: a failed checker whose last probe succeeded
 *                              probes again at once instead of after delay_before_retry
 */
public record CheckRules(int retry, int rise, long delayLoopNanos, long delayBeforeRetryNanos, long warmupNanos,
                         boolean alpha, boolean fastRecovery) {

    /** keepalived has no rise count: one success brings a checker back. */
    public static final int KEEPALIVED_RISE = 1;

    public CheckRules {
        if (retry < 0 || rise < 1 || delayLoopNanos <= 0 || delayBeforeRetryNanos < 0 || warmupNanos < 0) {
            throw new IllegalArgumentException("bad check rules: retry " + retry + ", rise " + rise + ", delay_loop "
                    + delayLoopNanos + " ns, delay_before_retry " + delayBeforeRetryNanos + " ns, warmup "
                    + warmupNanos + " ns");
        }
    }

    /** Rules without fast_recovery, which only HTTP_GET and SSL_GET have. */
    public CheckRules(int retry, int rise, long delayLoopNanos, long delayBeforeRetryNanos, long warmupNanos,
                      boolean alpha) {
        this(retry, rise, delayLoopNanos, delayBeforeRetryNanos, warmupNanos, alpha, false);
    }

    public static CheckRules of(CheckerConfig checker) {
        CheckTiming timing = checker.timing();
        if (checker.kind() instanceof CheckKind.Agent) {
            return AgentState.rules(timing);
        }
        boolean fastRecovery = checker.kind() instanceof CheckKind.Http http && http.fastRecovery();
        return new CheckRules(timing.retry(), timing.rise(), timing.delayLoop().toNanos(),
                timing.delayBeforeRetry().toNanos(), timing.warmup().toNanos(), timing.alpha(), fastRecovery);
    }

    /**
     * How long after start the first probe runs: a point in [0, warmup) picked by {@code random}, so checks of many
     * real servers do not all fire at once (keepalived: "random delay to start the initial check").
     */
    public long firstProbeDelayNanos(long random) {
        return warmupNanos == 0 ? 0 : Math.floorMod(random, warmupNanos);
    }
}
