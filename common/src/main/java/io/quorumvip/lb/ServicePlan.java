package io.quorumvip.lb;

import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VirtualServerGroupConfig;
import io.quorumvip.config.VirtualService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One virtual server as the data plane programs it: what it matches (a group resolved to its endpoints and marks),
 * its current pool, and for DR the path to the real servers.
 *
 * @param masquerade NAT only: also rewrite the client's source address to the director's, for setups where the
 *                   real servers do not route back through the director (one network); off by default
 */
public record ServicePlan(VirtualServerConfig config, List<VirtualService.Endpoint> endpoints, List<Long> fwmarks,
                          Pool pool, Optional<DrPath> dr, boolean masquerade) {

    public ServicePlan {
        endpoints = List.copyOf(endpoints);
        fwmarks = List.copyOf(fwmarks);
    }

    public static ServicePlan of(VirtualServerConfig config, Map<String, VirtualServerGroupConfig> groups, Pool pool,
                                 Optional<DrPath> dr, boolean masquerade) {
        VirtualService service = config.service();
        if (service instanceof VirtualService.Endpoint endpoint) {
            return new ServicePlan(config, List.of(endpoint), List.of(), pool, dr, masquerade);
        }
        if (service instanceof VirtualService.Fwmark mark) {
            return new ServicePlan(config, List.of(), List.of(mark.mark()), pool, dr, masquerade);
        }
        VirtualServerGroupConfig group = groups.get(((VirtualService.Group) service).name());
        if (group == null) {
            throw new IllegalArgumentException("virtual_server " + config.name() + " names a group that is not "
                    + "configured");
        }
        return new ServicePlan(config, group.endpoints(), group.fwmarks().stream().map(VirtualService.Fwmark::mark)
                .toList(), pool, dr, masquerade);
    }
}
