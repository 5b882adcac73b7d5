package io.quorumvip.config;

/**
 * A {@code track_interface} entry. Weight 0 (the default) puts the instance in FAULT while the interface is down;
 * otherwise a positive weight is added while it is up, a negative one subtracted while it is down. {@code reverse}
 * ({@code weight N reverse}) flips that: a positive weight is subtracted while up, a negative one added while down,
 * and weight 0 puts the instance in FAULT while the interface is up.
 */
public record TrackedInterface(String interfaceName, int weight, boolean reverse, SourcePosition position) {
}
