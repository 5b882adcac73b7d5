package io.quorumvip.vrrp;

/**
 * The timer arithmetic of RFC 5798 §6.1 and RFC 3768 §6.1, in nanoseconds.
 *
 * <p>VRRPv3: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.
 * VRRPv2: Skew_Time = (256 - Priority) / 256 seconds, whatever the advert interval (keepalived include/vrrp.h
 * {@code VRRP_TIMER_SKEW_CALC} does the same). Both: Master_Down_Interval = 3 * interval + Skew_Time.
 */
final class VrrpIntervals {

    static final long NANOS_PER_CENTI = 10_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private VrrpIntervals() {
    }

    static long centisToNanos(int centis) {
        return centis * NANOS_PER_CENTI;
    }

    static long skewNanos(int version, int priority, int masterAdverIntervalCentis) {
        return skewUnitsNanos(version, 256 - priority, masterAdverIntervalCentis);
    }

    /** The smallest skew (one 256th), which keepalived adds to the shortened first wait of {@code state MASTER}. */
    static long minimumSkewNanos(int version, int masterAdverIntervalCentis) {
        return skewUnitsNanos(version, 1, masterAdverIntervalCentis);
    }

    static long masterDownIntervalNanos(int version, int priority, int masterAdverIntervalCentis) {
        return 3 * centisToNanos(masterAdverIntervalCentis) + skewNanos(version, priority, masterAdverIntervalCentis);
    }

    private static long skewUnitsNanos(int version, int units, int masterAdverIntervalCentis) {
        long base = version == 3 ? centisToNanos(masterAdverIntervalCentis) : NANOS_PER_SECOND;
        return units * base / 256;
    }
}
