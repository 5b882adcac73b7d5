package io.quorumvip.replay;

import java.util.Map;

/** One node at a point of the journal: the last record seen, its instances by name and its pools by virtual server. */
public record NodeView(
        String node,
        long lastSeq,
        long lastHlc,
        long lastWallMicros,
        boolean running,
        String configSha256,
        long malformedPackets,
        String lastOperatorAction,
        Map<String, Boolean> trackersHealthy,
        Map<String, InstanceView> instances,
        Map<String, PoolView> pools) {

    public NodeView {
        trackersHealthy = Map.copyOf(trackersHealthy);
        instances = Map.copyOf(instances);
        pools = pools == null ? Map.of() : Map.copyOf(pools);
    }
}
