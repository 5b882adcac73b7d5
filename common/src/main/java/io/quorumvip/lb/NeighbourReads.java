package io.quorumvip.lb;

import java.time.Duration;

/**
 * When the load balancer re-reads the kernel's neighbour table for its DR real servers' MACs. Reading it on every
 * check result, as the agent first did, was one read and parse of the whole table (a line per neighbour) per result
 * and per DR virtual server: at 10,000 real servers checked every second, 10,000 reads a second of a 10,000-line
 * table on the checks' loop. One read serves every DR virtual server; reads come at most once per {@link #PERIOD},
 * which is how late a changed MAC is followed, and sooner (at most once per {@link #MIN_GAP}) when a real server
 * whose MAC is unknown answers a check, since its answer just filled the entry and it cannot join the hash without
 * it. Not thread-safe: one event loop owns it. Time is passed in.
 */
public final class NeighbourReads {

    /** The longest a changed MAC goes unnoticed while anything asks (a check result or the periodic timer). */
    public static final Duration PERIOD = Duration.ofSeconds(1);
    /** The shortest time between two reads, however many real servers without a MAC answer. */
    public static final Duration MIN_GAP = Duration.ofMillis(100);

    private final long periodNanos;
    private final long minGapNanos;
    private boolean read;
    private long lastReadNanos;

    public NeighbourReads() {
        this(PERIOD, MIN_GAP);
    }

    public NeighbourReads(Duration period, Duration minGap) {
        if (minGap.isNegative() || period.compareTo(minGap) < 0) {
            throw new IllegalArgumentException("neighbour table read period " + period + " must be at least its "
                    + "minimum gap " + minGap + ", which must not be negative");
        }
        this.periodNanos = period.toNanos();
        this.minGapNanos = minGap.toNanos();
    }

    /**
     * Whether to read the table now; a yes counts as the read. {@code macWanted}: the asker lacks a MAC the table
     * may now hold (a real server without one answered its check, or the timer found some still missing).
     */
    public boolean shouldRead(long nowNanos, boolean macWanted) {
        long since = nowNanos - lastReadNanos;
        if (read && since < (macWanted ? minGapNanos : periodNanos)) {
            return false;
        }
        read = true;
        lastReadNanos = nowNanos;
        return true;
    }
}
