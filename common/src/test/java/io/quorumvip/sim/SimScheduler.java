package io.quorumvip.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The one discrete-event loop of a simulation: simulated global time in nanoseconds, a priority queue of events
 * ordered by (time, insertion), and the only {@link Random} of the run. No threads, no wall clock: the same seed
 * gives the same sequence of events.
 *
 * <p>Every event belongs to a node (an agent's process) or to the {@link #ENVIRONMENT} (network, ZooKeeper,
 * kernels, faults). A paused node's events do not run: they wait and all run at once, in their order, when it
 * resumes (a SIGSTOP: timers fire late). A crash drops every event of the node's current incarnation.
 */
final class SimScheduler {

    static final int ENVIRONMENT = -1;

    /** A scheduled event; {@link #cancel()} makes it a no-op (a cancelled timer). */
    static final class Scheduled {
        private final long at;
        private final long sequence;
        private final int node;
        private final int incarnation;
        private final Runnable action;
        private boolean cancelled;

        private Scheduled(long at, long sequence, int node, int incarnation, Runnable action) {
            this.at = at;
            this.sequence = sequence;
            this.node = node;
            this.incarnation = incarnation;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.sequence, b.sequence));
    private final Random random;
    private final boolean[] paused;
    private final int[] incarnation;
    private final List<List<Scheduled>> deferred = new ArrayList<>();
    private long now;
    private long sequence;
    private long executed;

    SimScheduler(long seed, int nodes) {
        this.random = new Random(seed);
        this.paused = new boolean[nodes];
        this.incarnation = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            deferred.add(new ArrayList<>());
        }
    }

    long now() {
        return now;
    }

    Random random() {
        return random;
    }

    long executed() {
        return executed;
    }

    Scheduled at(long atNanos, int node, Runnable action) {
        if (atNanos < now) {
            throw new IllegalArgumentException("event time got " + atNanos + " ns (expected now " + now
                    + " ns or later: the simulation never schedules into the past)");
        }
        Scheduled event = new Scheduled(atNanos, sequence++, node,
                node == ENVIRONMENT ? 0 : incarnation[node], action);
        queue.add(event);
        return event;
    }

    Scheduled after(long delayNanos, int node, Runnable action) {
        return at(now + Math.max(0, delayNanos), node, action);
    }

    boolean isPaused(int node) {
        return paused[node];
    }

    void pause(int node) {
        paused[node] = true;
    }

    /** Lets the node run again: everything that came due while it was frozen runs now, in its original order. */
    void resume(int node) {
        paused[node] = false;
        for (Scheduled late : deferred.get(node)) {
            queue.add(new Scheduled(now, sequence++, node, late.incarnation, () -> {
                if (!late.cancelled) {
                    late.action.run();
                }
            }));
        }
        deferred.get(node).clear();
    }

    /** The node's process dies: none of its pending events will run. */
    void crash(int node) {
        incarnation[node]++;
        paused[node] = false;
        deferred.get(node).clear();
    }

    /** Runs every event due up to {@code endNanos}, or until {@code stop} says so after an event. */
    void runUntil(long endNanos, BooleanSupplier stop) {
        while (!queue.isEmpty() && queue.peek().at <= endNanos && !stop.getAsBoolean()) {
            Scheduled event = queue.poll();
            now = event.at;
            if (event.cancelled) {
                continue;
            }
            if (event.node != ENVIRONMENT) {
                if (event.incarnation != incarnation[event.node]) {
                    continue;
                }
                if (paused[event.node]) {
                    deferred.get(event.node).add(event);
                    continue;
                }
            }
            executed++;
            event.action.run();
        }
    }
}
