package io.quorumvip.agent.lb;

import io.netty.channel.SingleThreadEventLoop;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledFuture;

/**
 * A probe's connect_timeout on the checks' event loop, counted from the probe's start or its last bytes read
 * ({@link #touch}), that expires only once the loop has read its sockets after the deadline. The loop reads its
 * sockets, then runs its due timers: when one pass over thousands of ready sockets outlasted a deadline, an answer
 * that came during that pass was still unread when the timer ran, and the probe failed as if the real server had not
 * answered. At 10,000 checks a second that made false verdicts, pool rebuilds on the loop and more lateness. So a
 * timer that finds the deadline passed looks again after the loop's next read of its sockets (a task queued after
 * this iteration runs in the next, after its read) and expires only if nothing came meanwhile. On the loop only.
 */
final class LoopDeadline implements Runnable {

    private final SingleThreadEventLoop loop;
    private final long timeoutNanos;
    private final Runnable expire;
    private long lastActivityNanos;
    private boolean passed;
    private boolean cancelled;
    private ScheduledFuture<?> timer;

    /** @param expire run once, on the loop, when the deadline passed and a read of the sockets brought nothing */
    LoopDeadline(SingleThreadEventLoop loop, long timeoutNanos, Runnable expire) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.expire = expire;
    }

    void start() {
        lastActivityNanos = System.nanoTime();
        timer = loop.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Bytes came: the next wait gets a whole connect_timeout again. */
    void touch() {
        lastActivityNanos = System.nanoTime();
        passed = false;
    }

    void cancel() {
        cancelled = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void run() {
        if (cancelled) {
            return;
        }
        long idle = System.nanoTime() - lastActivityNanos;
        if (idle < timeoutNanos) {
            passed = false;
            timer = loop.schedule(this, timeoutNanos - idle, TimeUnit.NANOSECONDS);
        } else if (!passed) {
            passed = true;
            timer = null;
            loop.executeAfterEventLoopIteration(() -> loop.execute(this));
        } else {
            expire.run();
        }
    }
}
