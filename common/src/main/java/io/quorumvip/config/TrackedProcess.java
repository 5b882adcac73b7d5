package io.quorumvip.config;

import java.util.OptionalInt;

/**
 * A {@code track_process} entry of an instance: a defined {@code vrrp_track_process} by name, with an optional
 * {@code weight N} that overrides the process tracker's own weight for this instance.
 */
public record TrackedProcess(String processName, OptionalInt weight, SourcePosition position) {

    /** The weight this instance applies: the override if given, else the tracker's. */
    public int effectiveWeight(VrrpTrackProcess process) {
        return weight.orElse(process.weight());
    }
}
