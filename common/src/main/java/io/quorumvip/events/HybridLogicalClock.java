package io.quorumvip.events;

/**
 * A hybrid logical clock (Kulkarni et al., 2014) packed into one long: the upper 48 bits are wall milliseconds, the
 * lower 16 bits a logical counter. Packing makes "advance the logical part, carry into milliseconds on overflow" a
 * plain {@code + 1}, and stamps compare as longs. Pure: the caller passes the wall time in. Not thread-safe; the
 * journal calls it under its append lock.
 */
public final class HybridLogicalClock {

    public static final int LOGICAL_BITS = 16;
    private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;
    private static final long MAX_MILLIS = (1L << (63 - LOGICAL_BITS)) - 1;

    private long last;

    public HybridLogicalClock(long lastStamp) {
        this.last = lastStamp;
    }

    /** The stamp for a local event at wall time {@code wallMillis}: never below, never equal to the previous one. */
    public long tick(long wallMillis) {
        last = Math.max(last + 1, of(wallMillis, 0));
        return last;
    }

    /** The stamp for a local event caused by a message stamped {@code remoteStamp} on another node. */
    public long receive(long remoteStamp, long wallMillis) {
        last = Math.max(Math.max(last, remoteStamp) + 1, of(wallMillis, 0));
        return last;
    }

    public long last() {
        return last;
    }

    public static long of(long wallMillis, int logical) {
        if (wallMillis < 0 || wallMillis > MAX_MILLIS) {
            throw new IllegalArgumentException("HLC wall millis: got " + wallMillis + " (expected 0.." + MAX_MILLIS + ")");
        }
        if (logical < 0 || logical > LOGICAL_MASK) {
            throw new IllegalArgumentException("HLC logical counter: got " + logical + " (expected 0.." + LOGICAL_MASK + ")");
        }
        return (wallMillis << LOGICAL_BITS) | logical;
    }

    public static long physicalMillis(long stamp) {
        return stamp >>> LOGICAL_BITS;
    }

    public static int logical(long stamp) {
        return (int) (stamp & LOGICAL_MASK);
    }

    /** The greatest stamp whose physical part is {@code wallMillis}: "everything up to and including this ms". */
    public static long endOfMillis(long wallMillis) {
        return of(wallMillis, (int) LOGICAL_MASK);
    }
}
