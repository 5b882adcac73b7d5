package io.quorumvip.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks the configurations of the nodes of one cluster against each other (one file per node). Instances are
 * matched by name; what VRRP needs equal on every node (VRID, authentication, advert interval, version, addresses)
 * is an error when it differs, because then the nodes ignore each other's adverts and both become MASTER.
 */
public final class ClusterLint {

    private ClusterLint() {
    }

    public static List<Finding> lint(List<KeepalivedConfig> configs) {
        Diagnostics diagnostics = new Diagnostics();
        checkRouterIds(configs, diagnostics);
        checkInstancesByName(configs, diagnostics);
        checkAddressesAcrossVirtualRouters(configs, diagnostics);
        PoolLint.check(configs, diagnostics);
        return diagnostics.findings().stream().sorted(Finding.BY_LOCATION).toList();
    }

    private static void checkRouterIds(List<KeepalivedConfig> configs, Diagnostics diagnostics) {
        Map<String, KeepalivedConfig> byRouterId = new HashMap<>();
        for (KeepalivedConfig config : configs) {
            config.globalDefs().routerId().ifPresent(id -> {
                KeepalivedConfig earlier = byRouterId.putIfAbsent(id, config);
                if (earlier != null) {
                    diagnostics.error(config.globalDefs().routerIdPosition().orElseThrow(), "router_id " + id
                                    + " is also the router_id of " + earlier.source(),
                            "give every node its own router_id: it names the node in events and alerts");
                }
            });
        }
    }

    private record Defined(KeepalivedConfig config, VrrpInstanceConfig instance) {
    }

    private static void checkInstancesByName(List<KeepalivedConfig> configs, Diagnostics diagnostics) {
        Map<String, List<Defined>> byName = new LinkedHashMap<>();
        for (KeepalivedConfig config : configs) {
            for (VrrpInstanceConfig instance : config.vrrpInstances()) {
                byName.computeIfAbsent(instance.name(), n -> new ArrayList<>()).add(new Defined(config, instance));
            }
        }
        for (List<Defined> definitions : byName.values()) {
            if (definitions.size() == 1 && configs.size() > 1) {
                Defined only = definitions.get(0);
                diagnostics.warning(only.instance().position(), "vrrp_instance `" + only.instance().name()
                                + "` is in no other file given",
                        "a VIP on one node has no fail-over; define it on the other nodes too");
                continue;
            }
            Defined first = definitions.get(0);
            for (Defined other : definitions.subList(1, definitions.size())) {
                compare(first, other, diagnostics);
            }
        }
    }

    private static void compare(Defined first, Defined other, Diagnostics diagnostics) {
        VrrpInstanceConfig a = first.instance();
        VrrpInstanceConfig b = other.instance();
        String where = " (" + first.config().source() + ":" + a.position().line() + " has ";
        String name = "vrrp_instance `" + b.name() + "`";
        if (a.virtualRouterId() != b.virtualRouterId()) {
            diagnostics.error(b.position(), name + " has virtual_router_id " + b.virtualRouterId() + where
                            + a.virtualRouterId() + ")",
                    "use one virtual_router_id on every node, or the nodes never hear each other");
        }
        if (a.version() != b.version()) {
            diagnostics.error(b.position(), name + " runs VRRP version " + b.version() + where + a.version() + ")",
                    "use one version on every node");
        }
        if (a.advertIntervalCentiseconds() != b.advertIntervalCentiseconds()) {
            diagnostics.error(b.position(), name + " has advert_int " + seconds(b) + where + seconds(a) + ")",
                    "keepalived drops adverts with another interval; use one advert_int on every node");
        }
        if (!Objects.equals(a.authentication(), b.authentication())) {
            String authB = b.authentication().map(x -> x.type().name()).orElse("none");
            String authA = a.authentication().map(x -> x.type().name()).orElse("none");
            String difference = authA.equals(authB) ? " with another auth_pass than " + first.config().source() + ":"
                    + a.position().line() : " " + authB + where + authA + ")";
            diagnostics.error(b.position(), name + " has authentication" + difference,
                    "use the same auth_type and auth_pass on every node, or adverts are dropped");
        }
        Set<String> addressesA = addresses(a);
        Set<String> addressesB = addresses(b);
        if (!addressesA.equals(addressesB)) {
            diagnostics.error(b.position(), name + " has virtual_ipaddress " + addressesB + where + addressesA
                    + ")", "list the same addresses on every node");
        }
        if (a.priority() == b.priority()) {
            diagnostics.warning(b.position(), name + " has priority " + b.priority() + ", the same as in "
                            + first.config().source() + ":" + a.position().line(),
                    "equal priorities make the winner depend on IP addresses; give each node its own priority");
        }
    }

    /** One address under two virtual routers anywhere in the cluster: both may own it at once. */
    private static void checkAddressesAcrossVirtualRouters(List<KeepalivedConfig> configs, Diagnostics diagnostics) {
        Map<InetAddress, Defined> owners = new HashMap<>();
        for (KeepalivedConfig config : configs) {
            for (VrrpInstanceConfig instance : config.vrrpInstances()) {
                for (VirtualIpAddress vip : instance.virtualIpAddresses()) {
                    Defined earlier = owners.putIfAbsent(vip.address(), new Defined(config, instance));
                    // Same file: reported by the parser. Same name: reported above as a VRID mismatch.
                    if (earlier != null && earlier.config() != config
                            && !earlier.instance().name().equals(instance.name())
                            && earlier.instance().virtualRouterId() != instance.virtualRouterId()) {
                        diagnostics.error(vip.position(), vip.address().getHostAddress() + " is in `"
                                        + instance.name() + "` (virtual_router_id " + instance.virtualRouterId()
                                        + ") and in `" + earlier.instance().name() + "` (virtual_router_id "
                                        + earlier.instance().virtualRouterId() + ") of " + earlier.config().source(),
                                "an address must belong to one virtual router, or two nodes may own it at once");
                    }
                }
            }
        }
    }

    private static Set<String> addresses(VrrpInstanceConfig instance) {
        return instance.virtualIpAddresses().stream().map(VirtualIpAddress::cidr)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String seconds(VrrpInstanceConfig instance) {
        return java.math.BigDecimal.valueOf(instance.advertIntervalCentiseconds(), 2).stripTrailingZeros()
                .toPlainString();
    }
}
