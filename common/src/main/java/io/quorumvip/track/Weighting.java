package io.quorumvip.track;

/**
 * The weight and direction one instance gives one tracker, after its tracking entry, the tracker block's defaults
 * and its sync group have had their say.
 *
 * @param weight  keepalived's weight (see {@link TrackerStatus})
 * @param reverse keepalived's {@code reverse}
 */
public record Weighting(int weight, boolean reverse) {

    /** The tracker's status with this weighting and the verdict {@code healthy}. */
    public TrackerStatus status(String name, boolean healthy) {
        return new TrackerStatus(name, weight, healthy, reverse);
    }

    /** A tracked file's status with this weighting and the value {@code value} (see {@link TrackedFileStatus}). */
    public TrackerStatus fileStatus(String name, long value) {
        return TrackedFileStatus.tracker(name, value, weight, reverse);
    }
}
