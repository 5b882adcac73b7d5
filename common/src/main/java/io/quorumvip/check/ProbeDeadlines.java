package io.quorumvip.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The connect_timeouts of the probes one loop has in flight. Deadlines of one length pass in the order their probes
 * started, so each length is a queue (a probe joins at the tail, and the loop looks only at the heads), not a heap
 * with an insert and a removal per probe; a loop sees a handful of lengths. A probe settled by its outcome, or
 * whose deadline was moved on (bytes came: it waits a whole timeout again, and joins its queue's tail anew), stays in
 * its queue until it reaches the head, where it is dropped.
 *
 * <p>A deadline expires only when the loop has read its sockets after it passed ({@link #expire}): a loop held up
 * past a deadline by a long pass over thousands of ready sockets would otherwise fail a probe whose connection
 * completed meanwhile, unread, as if the real server had not answered. Not thread-safe: one loop owns it. Time is
 * passed in, on the caller's {@code System.nanoTime} scale (compared by difference: it may wrap).
 *
 * @param <T> the loop's handle to one probe
 */
public final class ProbeDeadlines<T> {

    private record Wait<T>(T probe, long deadlineNanos) {
    }

    private record Queue<T>(long timeoutNanos, ArrayDeque<Wait<T>> waits) {
    }

    /** Whether a probe still waits for one of its deadlines. */
    public interface Waiting<T> {
        /** @return false once the probe's outcome came, or once it waits for a later deadline */
        boolean waitsFor(T probe, long deadlineNanos);
    }

    private final Waiting<T> waiting;
    private final List<Queue<T>> queues = new ArrayList<>();

    public ProbeDeadlines(Waiting<T> waiting) {
        this.waiting = waiting;
    }

    /**
     * Starts {@code probe}'s timeout at {@code startNanos} (again, after bytes came); a probe of each length must
     * start no earlier than the one added before it.
     *
     * @return the deadline, for the probe's {@link Waiting#waitsFor}
     */
    public long add(T probe, long startNanos, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("a probe's connect_timeout must be positive, not " + timeoutNanos
                    + " ns");
        }
        long deadline = startNanos + timeoutNanos;
        queueOf(timeoutNanos).waits.addLast(new Wait<>(probe, deadline));
        return deadline;
    }

    /**
     * How long the loop may wait for its sockets at {@code nowNanos}: until the earliest deadline, in milliseconds
     * rounded up (a wait cut short would only wake the loop to wait again), 0 when one has passed, -1 when no probe
     * is waiting.
     */
    public int waitMillis(long nowNanos) {
        long earliest = 0;
        boolean any = false;
        for (Queue<T> queue : queues) {
            Wait<T> head = pendingHead(queue);
            if (head != null && (!any || head.deadlineNanos - earliest < 0)) {
                earliest = head.deadlineNanos;
                any = true;
            }
        }
        if (!any) {
            return -1;
        }
        long left = earliest - nowNanos;
        return left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
    }

    /**
     * Hands {@code expired} each unsettled probe whose deadline had passed at {@code readStartNanos}, the instant
     * before the loop's last read of its sockets began: every connection that completed by then was in that read.
     */
    public void expire(long readStartNanos, Consumer<T> expired) {
        for (Queue<T> queue : queues) {
            for (Wait<T> head = pendingHead(queue); head != null && head.deadlineNanos - readStartNanos <= 0;
                    head = pendingHead(queue)) {
                queue.waits.pollFirst();
                expired.accept(head.probe);
            }
        }
    }

    /** The deadlines queued, those no longer waited for included. */
    public int size() {
        int size = 0;
        for (Queue<T> queue : queues) {
            size += queue.waits.size();
        }
        return size;
    }

    private Wait<T> pendingHead(Queue<T> queue) {
        Wait<T> head = queue.waits.peekFirst();
        while (head != null && !waiting.waitsFor(head.probe, head.deadlineNanos)) {
            queue.waits.pollFirst();
            head = queue.waits.peekFirst();
        }
        return head;
    }

    /** On every probe: an indexed loop, not an iterator per call (the agent's C1 allocates it). */
    private Queue<T> queueOf(long timeoutNanos) {
        for (int i = 0; i < queues.size(); i++) {
            Queue<T> queue = queues.get(i);
            if (queue.timeoutNanos == timeoutNanos) {
                return queue;
            }
        }
        Queue<T> queue = new Queue<>(timeoutNanos, new ArrayDeque<>());
        queues.add(queue);
        return queue;
    }
}
