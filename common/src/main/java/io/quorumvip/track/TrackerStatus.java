package io.quorumvip.track;

import java.util.Objects;

/**
 * What one tracker (a script or an interface) contributes to an instance.
 *
 * @param name    the tracked script or interface, as configured
 * @param weight  keepalived's weight: positive adds while healthy, negative subtracts while unhealthy, 0 means an
 *                unhealthy tracker puts the instance in FAULT
 * @param healthy the tracker's current verdict
 */
public record TrackerStatus(String name, int weight, boolean healthy) {
    public TrackerStatus {
        Objects.requireNonNull(name, "name");
    }

    /** True when this tracker forces the instance into FAULT. */
    public boolean faults() {
        return weight == 0 && !healthy;
    }

    /** The amount this tracker adds to the base priority now. */
    public int contribution() {
        if (weight > 0 && healthy) {
            return weight;
        }
        if (weight < 0 && !healthy) {
            return weight;
        }
        return 0;
    }
}
