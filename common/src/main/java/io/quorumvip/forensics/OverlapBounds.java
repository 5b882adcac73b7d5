package io.quorumvip.forensics;

/**
 * How long two intervals of two nodes can truly have overlapped, when the second node's clock may differ from the
 * first's by up to a bound ε and each interval's end lies in [endMin, endMax].
 *
 * <p>The overlap as a function of the skew δ is a concave piecewise-linear function clipped at 0, so its least value
 * over δ ∈ [−ε, ε] is at ±ε and its greatest at ±ε or at a break point (where starts or ends align).
 */
final class OverlapBounds {

    record Bounds(long min, long max) {
    }

    private OverlapBounds() {
    }

    static Bounds of(Interval a, Interval b, long epsilon) {
        long min = Math.min(
                overlap(a.startMicros(), a.endMinMicros(), b.startMicros() - epsilon, b.endMinMicros() - epsilon),
                overlap(a.startMicros(), a.endMinMicros(), b.startMicros() + epsilon, b.endMinMicros() + epsilon));
        long max = 0;
        long[] skews = {-epsilon, epsilon, clamp(b.startMicros() - a.startMicros(), epsilon),
                clamp(b.endMaxMicros() - a.endMaxMicros(), epsilon)};
        for (long skew : skews) {
            max = Math.max(max, overlap(a.startMicros(), a.endMaxMicros(), b.startMicros() - skew, b.endMaxMicros() - skew));
        }
        return new Bounds(min, Math.max(min, max));
    }

    static long overlap(long a1, long a2, long b1, long b2) {
        return Math.max(0, Math.min(a2, b2) - Math.max(a1, b1));
    }

    private static long clamp(long value, long epsilon) {
        return Math.max(-epsilon, Math.min(epsilon, value));
    }
}
