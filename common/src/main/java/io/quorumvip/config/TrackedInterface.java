package io.quorumvip.config;

/**
 * A {@code track_interface} entry. Weight 0 (the default) puts the instance in FAULT while the interface is down;
 * otherwise a positive weight is added while it is up, a negative one subtracted while it is down.
 */
public record TrackedInterface(String interfaceName, int weight, SourcePosition position) {
}
