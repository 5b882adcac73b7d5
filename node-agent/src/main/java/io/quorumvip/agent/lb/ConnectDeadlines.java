package io.quorumvip.agent.lb;

import io.netty.channel.SingleThreadEventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The connect_timeouts of one length on the checks' event loop, in the order their probes started, woken by one
 * timer. A {@link LoopDeadline} per probe put a timer into Netty's scheduled-task heap and took it out again at each
 * connect, beside Netty's own connect timeout: with both, the heap was 10-12 of the loop's 80 Java samples at 6,000
 * TCP_CHECKs a second. Deadlines of one length pass in the order they started, so a queue does it: a probe joins at
 * the tail, is settled in place by its outcome, and the one timer looks at the head. It judges as LoopDeadline does: a
 * deadline found passed is looked at again after the loop's next read of its sockets, and expires only if its outcome
 * did not come meanwhile. On the loop only.
 */
final class ConnectDeadlines implements Runnable {

    /** One probe's wait: settled by its outcome or, once, by {@link #expire}. */
    abstract static class Wait {
        private long startNanos;
        private boolean settled;

        long startNanos() {
            return startNanos;
        }

        /** @return false when it was settled already (by its outcome, or by the deadline) */
        boolean settle() {
            if (settled) {
                return false;
            }
            settled = true;
            return true;
        }

        /** The deadline passed and the loop's next read of its sockets brought no outcome; it is settled already. */
        abstract void expire();
    }

    private final SingleThreadEventLoop loop;
    private final long timeoutNanos;
    private final ArrayDeque<Wait> waits = new ArrayDeque<>();
    private final List<Wait> passed = new ArrayList<>();
    /** The timer, or the second look at what it found passed, is pending. */
    private boolean armed;

    ConnectDeadlines(SingleThreadEventLoop loop, long timeoutNanos) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
    }

    /** Starts the wait's connect_timeout now. */
    void add(Wait wait) {
        wait.startNanos = System.nanoTime();
        dropSettledHead();
        waits.addLast(wait);
        if (!armed) {
            armed = true;
            loop.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The timer: the waits whose deadline passed get their second look after the loop's next read. */
    @Override
    public void run() {
        long now = System.nanoTime();
        for (Wait head = waits.peekFirst(); head != null && (head.settled || now - head.startNanos >= timeoutNanos);
                head = waits.peekFirst()) {
            waits.pollFirst();
            if (!head.settled) {
                passed.add(head);
            }
        }
        if (passed.isEmpty()) {
            rearm();
        } else {
            // A task queued after this iteration runs in the next one, after its read of the sockets.
            loop.executeAfterEventLoopIteration(() -> loop.execute(this::secondLook));
        }
    }

    private void secondLook() {
        for (Wait wait : passed) {
            if (wait.settle()) {
                wait.expire();
            }
        }
        passed.clear();
        rearm();
    }

    private void rearm() {
        dropSettledHead();
        Wait head = waits.peekFirst();
        if (head == null) {
            armed = false;
            return;
        }
        loop.schedule(this, Math.max(0, head.startNanos + timeoutNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Outcomes come mostly in start order: dropping settled waits at the head keeps the queue to those in flight. */
    private void dropSettledHead() {
        while (!waits.isEmpty() && waits.peekFirst().settled) {
            waits.pollFirst();
        }
    }
}
