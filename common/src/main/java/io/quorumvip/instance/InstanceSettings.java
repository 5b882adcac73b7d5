package io.quorumvip.instance;

import io.quorumvip.track.TrackerStatus;
import io.quorumvip.vrrp.VrrpConfig;
import java.util.List;
import java.util.Objects;

/**
 * What one instance core is configured with.
 *
 * @param name      the vrrp_instance name
 * @param vrrp      the state machine's configuration (its priority is the configured one)
 * @param quorum    whether a {@code quorum} block makes the lease the second key
 * @param addresses the virtual addresses as {@code address/prefix}, as the journal names them
 * @param trackers  every tracker with its initial verdict
 */
public record InstanceSettings(String name, VrrpConfig vrrp, boolean quorum, List<String> addresses,
                               List<TrackerStatus> trackers) {

    public InstanceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vrrp, "vrrp");
        addresses = List.copyOf(addresses);
        trackers = List.copyOf(trackers);
    }

    public long advertIntervalNanos() {
        return vrrp.advertIntervalCentis() * 10_000_000L;
    }
}
