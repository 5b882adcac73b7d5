package io.quorumvip.agent.http;

import io.quorumvip.agent.ship.ShipperStatus;
import java.util.List;

/**
 * The body of {@code GET /v1/status} (DESIGN.md §5). Field names are rendered in snake_case.
 *
 * @param node      this node's id
 * @param quorum    "disabled" when the config has no quorum block (VRRP alone, like keepalived), else the connect string
 * @param instances one entry per vrrp_instance, in config order
 * @param shipping  one entry per coordinator the journal is shipped to; empty without a coordinator block
 */
public record AgentStatus(String node, String quorum, List<InstanceStatus> instances, List<ShipperStatus> shipping) {
    public AgentStatus {
        instances = List.copyOf(instances);
        shipping = List.copyOf(shipping);
    }

    public AgentStatus(String node, String quorum, List<InstanceStatus> instances) {
        this(node, quorum, instances, List.of());
    }

    public AgentStatus withShipping(List<ShipperStatus> shipping) {
        return new AgentStatus(node, quorum, instances, shipping);
    }
}
