package io.quorumvip.agent.vip;

import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.net.NetlinkRouteManager;
import io.quorumvip.config.RouteSpec;
import io.quorumvip.config.RuleSpec;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event.RoutingChanged;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes and rules that go with addresses: an instance's {@code virtual_routes} / {@code virtual_rules}
 * (installed once its VIPs are bound, so after their write-ahead record, and removed before they are released), or
 * the node's {@code static_routes} / {@code static_rules}. Routes go in before rules that point at their tables,
 * and come out after them. Each change the kernel made, and each it refused, is journaled ({@code RoutingChanged});
 * adding what was there or removing what was gone is not a change.
 */
public final class VirtualRouting {

    public static final VirtualRouting NONE = new VirtualRouting("none", List.of(), List.of(), null, null);

    private static final Logger log = LoggerFactory.getLogger(VirtualRouting.class);

    private final String owner;
    private final List<RouteSpec> routes;
    private final List<RuleSpec> rules;
    private final NetlinkRouteManager kernel;
    private final AgentJournal journal;

    /** @param owner the instance (or "static") named in logs and the journal */
    public VirtualRouting(String owner, List<RouteSpec> routes, List<RuleSpec> rules, NetlinkRouteManager kernel,
                          AgentJournal journal) {
        this.owner = owner;
        this.routes = List.copyOf(routes);
        this.rules = List.copyOf(rules);
        this.kernel = kernel;
        this.journal = journal;
    }

    public boolean isEmpty() {
        return routes.isEmpty() && rules.isEmpty();
    }

    /** @return true when every route and rule is in the kernel */
    public boolean install() {
        boolean all = true;
        for (RouteSpec route : routes) {
            all &= apply(true, "route", route.text(), () -> kernel.add(route));
        }
        for (RuleSpec rule : rules) {
            all &= apply(true, "rule", rule.text(), () -> kernel.add(rule));
        }
        return all;
    }

    /** @return true when none of them is in the kernel any more */
    public boolean remove() {
        boolean all = true;
        for (RuleSpec rule : rules) {
            all &= apply(false, "rule", rule.text(), () -> kernel.remove(rule));
        }
        for (RouteSpec route : routes) {
            all &= apply(false, "route", route.text(), () -> kernel.remove(route));
        }
        return all;
    }

    /** A kernel call that says whether it changed anything. */
    private interface KernelCall {
        boolean run() throws IOException;
    }

    private boolean apply(boolean add, String kind, String spec, KernelCall call) {
        String action = (add ? "add " : "remove ") + kind;
        try {
            if (call.run()) {
                log.atInfo().setMessage(action).addKeyValue("owner", owner).addKeyValue("spec", spec).log();
                journal.record(Cause.NONE, new RoutingChanged(owner, kind, spec, add, ""));
            }
            return true;
        } catch (IOException e) {
            log.atError().setMessage("could not " + action).addKeyValue("owner", owner).addKeyValue("spec", spec)
                    .addKeyValue("error", e.getMessage()).log();
            journal.record(Cause.NONE, new RoutingChanged(owner, kind, spec, add,
                    e.getMessage() == null ? e.toString() : e.getMessage()));
            return false;
        }
    }
}
