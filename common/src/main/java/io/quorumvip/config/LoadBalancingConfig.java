package io.quorumvip.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code virtual_server} and {@code virtual_server_group} of a file; empty when it balances nothing.
 *
 * @param shareChecks global_defs {@code lb_share_checks} (ours): one check per distinct target and checker
 *                    configuration, shared by every virtual server that lists it; on by default, since the verdicts
 *                    are the same and only the number of probes a real server sees changes
 */
public record LoadBalancingConfig(Map<String, VirtualServerGroupConfig> groups,
                                  List<VirtualServerConfig> virtualServers, boolean shareChecks) {

    public static final boolean DEFAULT_SHARE_CHECKS = true;
    public static final LoadBalancingConfig NONE = new LoadBalancingConfig(Map.of(), List.of());

    public LoadBalancingConfig(Map<String, VirtualServerGroupConfig> groups, List<VirtualServerConfig> virtualServers) {
        this(groups, virtualServers, DEFAULT_SHARE_CHECKS);
    }

    public LoadBalancingConfig {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        virtualServers = List.copyOf(virtualServers);
    }

    public Optional<VirtualServerConfig> virtualServer(String name) {
        return virtualServers.stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
