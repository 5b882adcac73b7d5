package io.quorumvip.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code track_script} entry: a defined {@code vrrp_script} by name, with an optional
 * {@code weight N [reverse|noreverse]} that overrides the script's own weight (and direction) for this instance.
 */
public record TrackedScript(String scriptName, OptionalInt weight, Optional<Boolean> reverse,
                            SourcePosition position) {

    /** The weight this instance applies: the override if given, else the script's. */
    public int effectiveWeight(VrrpScript script) {
        return weight.orElse(script.weight());
    }

    /**
     * The direction this instance applies: {@code reverse} or {@code noreverse} after the entry's weight if written,
     * else the vrrp_script's own, as keepalived 2.2.7 does (vrrp_track.c, alloc_track_script).
     */
    public boolean effectiveReverse(VrrpScript script) {
        return reverse.orElse(script.reverse());
    }
}
