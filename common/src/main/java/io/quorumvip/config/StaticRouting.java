package io.quorumvip.config;

import java.util.List;

/**
 * {@code static_ipaddress}, {@code static_routes} and {@code static_rules}: set up when the agent starts and removed
 * when it stops, whatever the instances do; they never move.
 */
public record StaticRouting(List<VirtualIpAddress> addresses, List<RouteSpec> routes, List<RuleSpec> rules) {

    public static final StaticRouting NONE = new StaticRouting(List.of(), List.of(), List.of());

    public StaticRouting {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        rules = List.copyOf(rules);
    }
}
