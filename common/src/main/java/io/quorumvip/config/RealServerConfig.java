package io.quorumvip.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A {@code real_server} (or the {@code sorry_server}, which has no checkers).
 *
 * @param port             0 for a fwmark service whose real servers keep the client's port
 * @param weight           0..65535, default 1; 0 keeps it configured but sends it no new connection
 * @param inhibitOnFailure a failed server stays in the pool with weight 0 instead of leaving it
 * @param smtpAlert        mail on its state changes (keepalived's default: yes)
 */
public record RealServerConfig(InetAddress address, int port, SourcePosition position, int weight,
                               ForwardingMethod method, boolean inhibitOnFailure, Optional<NotifyScript> notifyUp,
                               Optional<NotifyScript> notifyDown, boolean smtpAlert, List<CheckerConfig> checkers) {

    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 65_535;

    public RealServerConfig {
        checkers = List.copyOf(checkers);
    }

    /** {@code 192.0.2.51:80}, {@code [2001:db8::1]:80}: how events and the operator view name it. */
    public String endpoint() {
        return new VirtualService.Endpoint(address, port).toString();
    }
}
