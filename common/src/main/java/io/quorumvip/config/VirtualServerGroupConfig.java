package io.quorumvip.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A {@code virtual_server_group}: addresses (single, {@code A-B} ranges or CIDR blocks, expanded) with a port, and
 * firewall marks, all sharing one virtual server's real servers.
 */
public record VirtualServerGroupConfig(String name, SourcePosition position, List<VirtualService.Endpoint> endpoints,
                                       List<VirtualService.Fwmark> fwmarks) {

    /** More addresses than this in one group is almost certainly a typo in a range. */
    public static final int MAX_ADDRESSES = 65_536;

    public VirtualServerGroupConfig {
        endpoints = List.copyOf(endpoints);
        fwmarks = List.copyOf(fwmarks);
    }

    public List<InetAddress> addresses() {
        return endpoints.stream().map(VirtualService.Endpoint::address).distinct().toList();
    }
}
