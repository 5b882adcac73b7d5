package io.quorumvip.ownership;

import java.util.Objects;

/**
 * Everything the ownership rule looks at. Times are monotonic nanoseconds of the deciding node; they are only
 * compared with each other, never with another node's clock.
 *
 * @param role                  the VRRP role of the instance
 * @param fault                 a tracker or interface put the instance in fault
 * @param quorumConfigured      the configuration has a {@code quorum} block
 * @param leaseHeld             this node holds the instance's lease (latch leadership)
 * @param leaseValidUntilNanos  monotonic instant until which the lease is provably valid (ignored without a lease)
 * @param nowNanos              monotonic instant of the decision
 */
public record OwnershipInputs(
        RoleInput role,
        boolean fault,
        boolean quorumConfigured,
        boolean leaseHeld,
        long leaseValidUntilNanos,
        long nowNanos) {

    public OwnershipInputs {
        Objects.requireNonNull(role, "role");
    }
}
