package io.quorumvip.forensics;

/**
 * How forensics reads the journals.
 *
 * @param clockUncertaintyMicros the most two nodes' wall clocks may differ by. Times of two different nodes are
 *                               compared only up to this bound: an overlap (or gap) between two nodes is certain only
 *                               when it is longer than the bound, and every cross-node duration is given as
 *                               [min, max] over all skews within it. Events of one node share a clock: no bound.
 * @param leaseGraceMicros       how long lease and VRRP role may disagree on one node before it is an incident
 *                               (a new master waits for the old session to expire; a leaving one withdraws)
 * @param causeLookbackMicros    how far before an incident its chain of causes reaches back
 * @param fromMicros             report only incidents that end at or after this wall time (µs since 1970)
 * @param toMicros               report only incidents that start at or before this wall time
 */
public record ForensicsSettings(
        long clockUncertaintyMicros,
        long leaseGraceMicros,
        long causeLookbackMicros,
        long fromMicros,
        long toMicros) {

    public static final ForensicsSettings DEFAULT = new ForensicsSettings(50_000, 3_000_000, 10_000_000,
            Long.MIN_VALUE, Long.MAX_VALUE);

    public ForensicsSettings {
        if (clockUncertaintyMicros < 0) {
            throw new IllegalArgumentException("clock uncertainty: got " + clockUncertaintyMicros + " µs (expected >= 0)");
        }
        if (leaseGraceMicros < 0) {
            throw new IllegalArgumentException("lease grace: got " + leaseGraceMicros + " µs (expected >= 0)");
        }
        if (causeLookbackMicros < 0) {
            throw new IllegalArgumentException("cause look-back: got " + causeLookbackMicros + " µs (expected >= 0)");
        }
        if (fromMicros > toMicros) {
            throw new IllegalArgumentException("report window: from " + fromMicros + " is after to " + toMicros
                    + " (expected from <= to)");
        }
    }

    public ForensicsSettings withClockUncertaintyMicros(long micros) {
        return new ForensicsSettings(micros, leaseGraceMicros, causeLookbackMicros, fromMicros, toMicros);
    }

    public ForensicsSettings withLeaseGraceMicros(long micros) {
        return new ForensicsSettings(clockUncertaintyMicros, micros, causeLookbackMicros, fromMicros, toMicros);
    }

    public ForensicsSettings withWindow(long from, long to) {
        return new ForensicsSettings(clockUncertaintyMicros, leaseGraceMicros, causeLookbackMicros, from, to);
    }

    /** The clock bound between two nodes: none within one node. */
    long uncertaintyBetween(String node, String other) {
        return node.equals(other) ? 0 : clockUncertaintyMicros;
    }
}
