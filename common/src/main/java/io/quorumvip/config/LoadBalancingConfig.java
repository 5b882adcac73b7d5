package io.quorumvip.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every {@code virtual_server} and {@code virtual_server_group} of a file; empty when it balances nothing. */
public record LoadBalancingConfig(Map<String, VirtualServerGroupConfig> groups,
                                  List<VirtualServerConfig> virtualServers) {

    public static final LoadBalancingConfig NONE = new LoadBalancingConfig(Map.of(), List.of());

    public LoadBalancingConfig {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        virtualServers = List.copyOf(virtualServers);
    }

    public Optional<VirtualServerConfig> virtualServer(String name) {
        return virtualServers.stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
