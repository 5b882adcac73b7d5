package io.quorumvip.config;

import java.util.OptionalInt;

/**
 * A {@code track_file} entry of an instance: a defined {@code vrrp_track_file} by name, with an optional
 * {@code weight N} that overrides the file's own weight for this instance, as in keepalived.
 */
public record TrackedFile(String fileName, OptionalInt weight, SourcePosition position) {

    /** The weight this instance applies: the override if given, else the file's. */
    public int effectiveWeight(VrrpTrackFile file) {
        return weight.orElse(file.weight());
    }
}
