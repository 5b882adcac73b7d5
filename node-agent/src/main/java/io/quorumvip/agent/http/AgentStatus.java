package io.quorumvip.agent.http;

import java.util.List;

/**
 * The body of {@code GET /v1/status} (DESIGN.md §5). Field names are rendered in snake_case.
 *
 * @param node      this node's id
 * @param quorum    "disabled" when the config has no quorum block (VRRP alone, like keepalived), else the connect string
 * @param instances one entry per vrrp_instance, in config order
 */
public record AgentStatus(String node, String quorum, List<InstanceStatus> instances) {
    public AgentStatus {
        instances = List.copyOf(instances);
    }
}
