package io.quorumvip.forensics;

import java.util.List;
import java.util.Objects;

/**
 * Who owned one address over the report window.
 *
 * @param address              the address as journaled (192.0.2.200/24)
 * @param instance             the instance that binds it
 * @param owners               per node: how long it had the address bound and how many times it bound it
 * @param noOwnerIncidents     how many NO_OWNER incidents concern it
 * @param dualOwnershipIncidents how many DUAL_OWNERSHIP incidents concern it
 */
public record VipSummary(String address, String instance, List<Owner> owners, int noOwnerIncidents,
                         int dualOwnershipIncidents) {

    /** One node's share; {@code ownedMicros} counts to the earliest end of a crashed holding. */
    public record Owner(String node, long ownedMicros, int binds) {
    }

    public VipSummary {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(instance, "instance");
        owners = List.copyOf(owners);
    }
}
