package io.quorumvip.replay;

import java.util.List;
import java.util.Map;

/**
 * One node at a point of the journal: the last record seen, its instances by name, its pools by virtual server, its
 * sync groups' states by group (e.g. "MASTER (back MASTER)": the state and the member change that made it) and the
 * routes and rules in its kernel by owner (an instance, or "static"; e.g. "route 198.51.100.0/24 via 192.0.2.1").
 */
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
        Map<String, PoolView> pools,
        Map<String, String> syncGroups,
        Map<String, List<String>> routing) {

    public NodeView {
        trackersHealthy = Map.copyOf(trackersHealthy);
        instances = Map.copyOf(instances);
        pools = pools == null ? Map.of() : Map.copyOf(pools);
        syncGroups = syncGroups == null ? Map.of() : Map.copyOf(syncGroups);
        routing = routing == null ? Map.of() : Map.copyOf(routing);
    }
}
