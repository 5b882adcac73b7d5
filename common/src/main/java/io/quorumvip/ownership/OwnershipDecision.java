package io.quorumvip.ownership;

import java.util.Objects;

/** The output of the ownership rule: whether to hold the VIP, and the branch that said so. */
public record OwnershipDecision(boolean own, OwnershipReason reason) {

    public OwnershipDecision {
        Objects.requireNonNull(reason, "reason");
        if (own != reason.own()) {
            throw new IllegalArgumentException(
                    "ownership decision own=" + own + " contradicts reason " + reason + " (expected own=" + reason.own() + ")");
        }
    }

    public static OwnershipDecision of(OwnershipReason reason) {
        return new OwnershipDecision(reason.own(), reason);
    }
}
