package io.quorumvip.ownership;

/**
 * The one rule that says whether this node may hold the VIP: VRRP MASTER, not in fault, and either no quorum
 * configured or a lease still provably valid now. The agent runs it live and replay runs it again on the recorded
 * inputs, so it must stay pure.
 */
public final class OwnershipRule {

    private OwnershipRule() {
    }

    public static OwnershipDecision decide(OwnershipInputs inputs) {
        return OwnershipDecision.of(reason(inputs));
    }

    private static OwnershipReason reason(OwnershipInputs in) {
        if (in.fault() || in.role() == RoleInput.FAULT) {
            return OwnershipReason.FAULT;
        }
        if (in.role() != RoleInput.MASTER) {
            return OwnershipReason.NOT_MASTER;
        }
        if (!in.quorumConfigured()) {
            return OwnershipReason.OWN_WITHOUT_QUORUM;
        }
        if (!in.leaseHeld()) {
            return OwnershipReason.NO_LEASE;
        }
        // Subtraction, not <, so the comparison stays right when System.nanoTime wraps past Long.MAX_VALUE.
        if (in.nowNanos() - in.leaseValidUntilNanos() >= 0) {
            return OwnershipReason.LEASE_EXPIRED;
        }
        return OwnershipReason.OWN;
    }
}
