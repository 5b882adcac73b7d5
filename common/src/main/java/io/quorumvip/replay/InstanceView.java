package io.quorumvip.replay;

import io.quorumvip.ownership.OwnershipReason;
import io.quorumvip.ownership.RoleInput;
import java.util.List;

/** One VRRP instance of one node at a point of the journal. */
public record InstanceView(
        String name,
        int vrid,
        RoleInput state,
        int basePriority,
        int effectivePriority,
        LeaseStatus lease,
        long leaseEpoch,
        boolean fault,
        boolean vipOwned,
        List<String> vips,
        String lastMasterSeen,
        OwnershipReason lastOwnershipDecision) {

    public InstanceView {
        vips = List.copyOf(vips);
    }
}
