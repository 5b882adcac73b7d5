package io.quorumvip.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code track_process} entry of an instance: a defined {@code vrrp_track_process} by name, with an optional
 * {@code weight N [reverse|noreverse]} that overrides the process tracker's own weight (and direction) for this
 * instance.
 */
public record TrackedProcess(String processName, OptionalInt weight, Optional<Boolean> reverse,
                             SourcePosition position) {

    /** The weight this instance applies: the override if given, else the tracker's. */
    public int effectiveWeight(VrrpTrackProcess process) {
        return weight.orElse(process.weight());
    }

    /**
     * The direction this instance applies: {@code reverse} or {@code noreverse} after the entry's weight if written,
     * else the vrrp_track_process's own, as keepalived 2.2.7 does (vrrp_track.c, alloc_track_process).
     */
    public boolean effectiveReverse(VrrpTrackProcess process) {
        return reverse.orElse(process.reverse());
    }
}
