package io.quorumvip.replay;

import java.util.Map;

/** Every node replay has seen, by node id. */
public record ClusterView(Map<String, NodeView> nodes) {

    public static final ClusterView EMPTY = new ClusterView(Map.of());

    public ClusterView {
        nodes = Map.copyOf(nodes);
    }
}
