package io.quorumvip.agent.http;

import io.quorumvip.agent.lb.VirtualServerStatus;
import io.quorumvip.agent.ship.ShipperStatus;
import java.util.List;

/**
 * The body of {@code GET /v1/status} (DESIGN.md §5). Field names are rendered in snake_case.
 *
 * @param node      this node's id
 * @param quorum    "disabled" when the config has no quorum block (VRRP alone, like keepalived), else the connect string
 * @param instances one entry per vrrp_instance, in config order
 * @param shipping  one entry per coordinator the journal is shipped to; empty without a coordinator block
 * @param virtualServers one entry per virtual_server, with the pool and what this director's checks say
 */
public record AgentStatus(String node, String quorum, List<InstanceStatus> instances, List<ShipperStatus> shipping,
                          List<VirtualServerStatus> virtualServers) {
    public AgentStatus {
        instances = List.copyOf(instances);
        shipping = List.copyOf(shipping);
        virtualServers = List.copyOf(virtualServers);
    }

    public AgentStatus(String node, String quorum, List<InstanceStatus> instances) {
        this(node, quorum, instances, List.of(), List.of());
    }

    public AgentStatus withShipping(List<ShipperStatus> shipping) {
        return new AgentStatus(node, quorum, instances, shipping, virtualServers);
    }

    public AgentStatus withVirtualServers(List<VirtualServerStatus> virtualServers) {
        return new AgentStatus(node, quorum, instances, shipping, virtualServers);
    }
}
