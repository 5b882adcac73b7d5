package io.quorumvip.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Cross-node lint for load balancing: the directors of a cluster must program the same pool for a virtual server,
 * or a fail-over changes who serves (and, with mh, which flows survive it).
 */
final class PoolLint {

    private PoolLint() {
    }

    private record Defined(KeepalivedConfig config, VirtualServerConfig server) {
    }

    static void check(List<KeepalivedConfig> configs, Diagnostics diagnostics) {
        Map<String, List<Defined>> byName = new LinkedHashMap<>();
        for (KeepalivedConfig config : configs) {
            for (VirtualServerConfig vs : config.loadBalancing().virtualServers()) {
                byName.computeIfAbsent(vs.name(), n -> new ArrayList<>()).add(new Defined(config, vs));
            }
        }
        for (List<Defined> definitions : byName.values()) {
            Defined first = definitions.get(0);
            if (definitions.size() == 1 && configs.size() > 1) {
                diagnostics.warning(first.server().position(), "virtual_server " + first.server().name()
                                + " is in no other file given",
                        "a director fail-over would stop this service; define it on every director");
                continue;
            }
            for (Defined other : definitions.subList(1, definitions.size())) {
                compare(first, other, diagnostics);
            }
        }
    }

    private static void compare(Defined first, Defined other, Diagnostics diagnostics) {
        VirtualServerConfig a = first.server();
        VirtualServerConfig b = other.server();
        String where = " (" + first.config().source() + ":" + a.position().line() + " has ";
        String name = "virtual_server " + b.name();
        String hint = "give every director the same pool, or a fail-over changes who serves";
        if (!pool(a).equals(pool(b))) {
            diagnostics.warning(b.position(), name + " has real servers " + pool(b) + where + pool(a) + ")", hint);
        }
        if (a.scheduler() != b.scheduler() || a.hashPort() != b.hashPort()) {
            diagnostics.warning(b.position(), name + " has lb_algo " + b.scheduler().keepalivedName() + where
                    + a.scheduler().keepalivedName() + ")", hint);
        }
        if (a.method() != b.method()) {
            diagnostics.warning(b.position(), name + " has lb_kind " + b.method() + where + a.method() + ")", hint);
        }
        if (!a.persistence().equals(b.persistence())) {
            diagnostics.warning(b.position(), name + " has persistence " + b.persistence().map(Object::toString)
                    .orElse("off") + where + a.persistence().map(Object::toString).orElse("off") + ")", hint);
        }
        if (a.expireNodestConn() != b.expireNodestConn()) {
            diagnostics.warning(b.position(), name + (b.expireNodestConn() ? " has" : " has no") + " expire_nodest_conn"
                    + where + (a.expireNodestConn() ? "it" : "none") + ")", "set it on every director, or a "
                    + "fail-over changes what happens to a removed real server's connections");
        }
        if (a.quorum() != b.quorum() || a.hysteresis() != b.hysteresis()
                || !Objects.equals(a.sorryServer().map(RealServerConfig::endpoint),
                b.sorryServer().map(RealServerConfig::endpoint))) {
            diagnostics.warning(b.position(), name + " has another quorum, hysteresis or sorry_server than "
                    + first.config().source() + ":" + a.position().line(), hint);
        }
    }

    /** Each real server with its weight, sorted: what decides who serves. */
    private static Map<String, Integer> pool(VirtualServerConfig vs) {
        Map<String, Integer> pool = new TreeMap<>();
        vs.realServers().forEach(r -> pool.put(r.endpoint(), r.weight()));
        return pool;
    }
}
