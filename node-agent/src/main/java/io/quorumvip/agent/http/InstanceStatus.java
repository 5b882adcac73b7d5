package io.quorumvip.agent.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One vrrp_instance as {@code /v1/status} shows it.
 *
 * @param reason why the VIP is or is not owned, in the ownership rule's words (e.g. "NOT_MASTER", "FAULT")
 */
public record InstanceStatus(
        String name,
        int vrid,
        @JsonProperty("interface") String iface,
        String state,
        int priority,
        int effectivePriority,
        LeaseStatus lease,
        boolean vipOwned,
        List<String> vips,
        String reason) {
    public InstanceStatus {
        vips = List.copyOf(vips);
    }
}
