package io.quorumvip.agent.net;

import io.quorumvip.config.RouteSpec;
import io.quorumvip.config.RuleSpec;
import java.io.IOException;
import java.util.function.IntFunction;

/**
 * Adds and removes routes and policy rules through rtnetlink. Adding what is already there, or removing what is
 * gone, is not an error: a crashed run may have left them, and a release must be repeatable. Each call says whether
 * the kernel changed, so only real changes are journaled.
 */
public final class NetlinkRouteManager {

    /** linux/errno.h: what the kernel answers for a route (ESRCH) or rule (ENOENT) that is not there. */
    private static final int ENOENT = 2;
    private static final int ESRCH = 3;

    private final RtNetlinkSocket socket;

    NetlinkRouteManager(RtNetlinkSocket socket) {
        this.socket = socket;
    }

    /** @return false when it was already there (add) or already gone (remove) */
    public boolean add(RouteSpec route) throws IOException {
        int ifindex = ifindex(route);
        return exchange("RTM_NEWROUTE " + route.text(), LibC.EEXIST, sequence -> RtNetlinkRouteMessages.route(
                RtNetlinkRouteMessages.RTM_NEWROUTE, RtNetlinkMessages.ADD_FLAGS, sequence, route, ifindex));
    }

    /** @return false when it was already there (add) or already gone (remove) */
    public boolean remove(RouteSpec route) throws IOException {
        int ifindex = ifindex(route);
        return exchange("RTM_DELROUTE " + route.text(), ESRCH, sequence -> RtNetlinkRouteMessages.route(
                RtNetlinkRouteMessages.RTM_DELROUTE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sequence, route,
                ifindex));
    }

    /** @return false when it was already there (add) or already gone (remove) */
    public boolean add(RuleSpec rule) throws IOException {
        return exchange("RTM_NEWRULE " + rule.text(), LibC.EEXIST, sequence -> RtNetlinkRouteMessages.rule(
                RtNetlinkRouteMessages.RTM_NEWRULE, RtNetlinkMessages.ADD_FLAGS, sequence, rule));
    }

    /** @return false when it was already there (add) or already gone (remove) */
    public boolean remove(RuleSpec rule) throws IOException {
        return exchange("RTM_DELRULE " + rule.text(), ENOENT, sequence -> RtNetlinkRouteMessages.rule(
                RtNetlinkRouteMessages.RTM_DELRULE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sequence, rule));
    }

    private boolean exchange(String what, int harmlessErrno, IntFunction<byte[]> request)
            throws IOException {
        try {
            socket.exchange(what, request);
            return true;
        } catch (NetlinkErrorException e) {
            if (e.errno() != harmlessErrno) {
                throw e;
            }
            return false;
        }
    }

    private static int ifindex(RouteSpec route) throws IOException {
        return route.device().isPresent() ? Interfaces.index(route.device().get()) : 0;
    }
}
