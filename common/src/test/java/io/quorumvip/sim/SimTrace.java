package io.quorumvip.sim;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What happened in one run, for people: the last lines are kept for a failure message, and a running hash of
 * every line proves that a replay of the same seed went exactly the same way.
 */
final class SimTrace {

    private static final int TAIL_LINES = 120;

    private final Deque<String> tail = new ArrayDeque<>();
    private long hash = 1125899906842597L;

    void line(long nowNanos, String who, String what) {
        String text = String.format("%10.6f s  %-5s %s", nowNanos / 1e9, who, what);
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(text);
        hash = 31 * hash + text.hashCode();
    }

    long hash() {
        return hash;
    }

    String tail() {
        return String.join("\n", tail);
    }
}
