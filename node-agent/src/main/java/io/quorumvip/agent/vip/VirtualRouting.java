package io.quorumvip.agent.vip;

import io.quorumvip.agent.net.NetlinkRouteManager;
import io.quorumvip.config.RouteSpec;
import io.quorumvip.config.RuleSpec;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes and rules that go with addresses: an instance's {@code virtual_routes} / {@code virtual_rules}
 * (installed once its VIPs are bound, so after their write-ahead record, and removed before they are released), or
 * the node's {@code static_routes} / {@code static_rules}. Routes go in before rules that point at their tables,
 * and come out after them.
 */
public final class VirtualRouting {

    public static final VirtualRouting NONE = new VirtualRouting("none", List.of(), List.of(), null);

    private static final Logger log = LoggerFactory.getLogger(VirtualRouting.class);

    private final String owner;
    private final List<RouteSpec> routes;
    private final List<RuleSpec> rules;
    private final NetlinkRouteManager kernel;

    /** @param owner the instance (or "static") named in logs */
    public VirtualRouting(String owner, List<RouteSpec> routes, List<RuleSpec> rules, NetlinkRouteManager kernel) {
        this.owner = owner;
        this.routes = List.copyOf(routes);
        this.rules = List.copyOf(rules);
        this.kernel = kernel;
    }

    public boolean isEmpty() {
        return routes.isEmpty() && rules.isEmpty();
    }

    /** @return true when every route and rule is in the kernel */
    public boolean install() {
        boolean all = true;
        for (RouteSpec route : routes) {
            all &= apply("add route", route.text(), () -> kernel.add(route));
        }
        for (RuleSpec rule : rules) {
            all &= apply("add rule", rule.text(), () -> kernel.add(rule));
        }
        return all;
    }

    /** @return true when none of them is in the kernel any more */
    public boolean remove() {
        boolean all = true;
        for (RuleSpec rule : rules) {
            all &= apply("remove rule", rule.text(), () -> kernel.remove(rule));
        }
        for (RouteSpec route : routes) {
            all &= apply("remove route", route.text(), () -> kernel.remove(route));
        }
        return all;
    }

    private interface KernelCall {
        void run() throws IOException;
    }

    private boolean apply(String action, String what, KernelCall call) {
        try {
            call.run();
            log.atInfo().setMessage(action).addKeyValue("owner", owner).addKeyValue("spec", what).log();
            return true;
        } catch (IOException e) {
            log.atError().setMessage("could not " + action).addKeyValue("owner", owner).addKeyValue("spec", what)
                    .addKeyValue("error", e.getMessage()).log();
            return false;
        }
    }
}
