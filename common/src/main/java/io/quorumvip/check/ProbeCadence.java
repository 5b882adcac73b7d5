package io.quorumvip.check;

/**
 * When a checker's next probe is due, from when its last one started and when that one's result came. Time is
 * passed in, on one {@code System.nanoTime} scale (compared by difference: it may wrap).
 *
 * <p>A probe that ends within its delay keeps the cadence: the next is due one delay after the last started, so a
 * checker with delay_loop 1 s probes every second, not every second plus the probe's own duration and the loop's
 * lag in reading its answer. Counted from the result, as keepalived counts, every period grew by that time: at
 * 10,000 real servers on a busy loop, tens of milliseconds a period, and the real server saw the checks that much
 * late; and the results of one pass of the probe thread, handed over together, booked their next probes together, so
 * the checks merged into bunches that filled the bound on probes in flight. Counted from the start, not from when the probe was due: a loop that runs behind then asks for fewer probes
 * a second instead of catching up on the ones it started late, which would keep it behind (measured, issue 12). A
 * probe that outlasts its delay (a connect_timeout longer than delay_before_retry, a slow answer) counts from its
 * result, as keepalived does: the next never follows at once, and a retry after a timeout still waits
 * delay_before_retry.
 */
public final class ProbeCadence {

    private ProbeCadence() {
    }

    /**
     * @param startedNanos when the last probe started
     * @param resultNanos  when its result came
     * @param delayNanos   the wait the checker's cycle asks for after this result (delay_loop, delay_before_retry)
     */
    public static long nextDueNanos(long startedNanos, long resultNanos, long delayNanos) {
        long cadence = startedNanos + delayNanos;
        return cadence - resultNanos >= 0 ? cadence : resultNanos + delayNanos;
    }
}
