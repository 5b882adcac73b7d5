package io.quorumvip.track;

import java.util.Objects;

/**
 * What one tracker (a script, an interface or a process quorum) contributes to an instance.
 *
 * <p>{@code reverse} is keepalived's {@code weight N reverse} (vrrp_track.c, process_script_update_priority and
 * initialise_*_tracking_priorities multiply by {@code weight_multiplier} = −1): a weighted tracker contributes the
 * negation of what it would contribute normally for the same verdict, so a positive weight is subtracted while
 * healthy and a negative one added while unhealthy; with weight 0 the instance is in FAULT while the tracker is
 * <em>healthy</em> instead of while it is unhealthy.
 *
 * @param name    the tracked script, interface or process, as configured
 * @param weight  keepalived's weight: positive adds while healthy, negative subtracts while unhealthy, 0 means an
 *                unhealthy tracker puts the instance in FAULT
 * @param healthy the tracker's current verdict
 * @param reverse keepalived's {@code reverse}: the direction of the weight (or, with weight 0, of the FAULT) flipped
 */
public record TrackerStatus(String name, int weight, boolean healthy, boolean reverse) {
    public TrackerStatus {
        Objects.requireNonNull(name, "name");
    }

    /** A tracker in the normal direction. */
    public TrackerStatus(String name, int weight, boolean healthy) {
        this(name, weight, healthy, false);
    }

    /** The same tracker with a new verdict. */
    public TrackerStatus withHealthy(boolean nowHealthy) {
        return new TrackerStatus(name, weight, nowHealthy, reverse);
    }

    /** True when this tracker forces the instance into FAULT. */
    public boolean faults() {
        return weight == 0 && healthy == reverse;
    }

    /** The amount this tracker adds to the base priority now. */
    public int contribution() {
        int normal = 0;
        if (weight > 0 && healthy || weight < 0 && !healthy) {
            normal = weight;
        }
        return reverse ? -normal : normal;
    }
}
