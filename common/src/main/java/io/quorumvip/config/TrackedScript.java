package io.quorumvip.config;

import java.util.OptionalInt;

/**
 * A {@code track_script} entry: a defined {@code vrrp_script} by name, with an optional {@code weight N} that
 * overrides the script's own weight for this instance.
 */
public record TrackedScript(String scriptName, OptionalInt weight, SourcePosition position) {

    /** The weight this instance applies: the override if given, else the script's. */
    public int effectiveWeight(VrrpScript script) {
        return weight.orElse(script.weight());
    }
}
