package io.quorumvip.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code track_file} entry of an instance: a defined {@code vrrp_track_file} by name, with an optional
 * {@code weight N [reverse|noreverse]} that overrides the file's own weight (and direction) for this
 * instance, as in keepalived.
 */
public record TrackedFile(String fileName, OptionalInt weight, Optional<Boolean> reverse,
                          SourcePosition position) {

    /** The weight this instance applies: the override if given, else the file's. */
    public int effectiveWeight(VrrpTrackFile file) {
        return weight.orElse(file.weight());
    }

    /**
     * The direction this instance applies: {@code reverse} or {@code noreverse} after the entry's weight if written,
     * else the track_file's own, as keepalived 2.2.7 does (vrrp_track.c, alloc_track_file).
     */
    public boolean effectiveReverse(VrrpTrackFile file) {
        return reverse.orElse(file.reverse());
    }
}
