package io.quorumvip.agent.vip;

import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.net.InterfaceAddress;
import io.quorumvip.agent.net.NetlinkAddressManager;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's {@code static_ipaddress}, {@code static_routes} and {@code static_rules}: set up once when the agent
 * starts, before any instance, and removed when it stops. They belong to the node, never move, and take no part in
 * ownership; the routes and rules are journaled all the same (owner "static"), so replay shows what the kernel has.
 * A failure is logged and the agent runs on, as keepalived does.
 */
public final class StaticRouting {

    private static final Logger log = LoggerFactory.getLogger(StaticRouting.class);

    private final List<InterfaceAddress> addresses;
    private final VirtualRouting routing;
    private final NetlinkAddressManager kernel;

    private StaticRouting(List<InterfaceAddress> addresses, VirtualRouting routing, NetlinkAddressManager kernel) {
        this.addresses = addresses;
        this.routing = routing;
        this.kernel = kernel;
    }

    /** Adds the static addresses (without lifetime), then routes, then rules. */
    public static StaticRouting open(io.quorumvip.config.StaticRouting config, NetlinkAddressManager kernel,
                                     AgentJournal journal) {
        // The parser gave every static address a device (its `dev`, else the default interface).
        List<InterfaceAddress> addresses = config.addresses().stream().map(a -> new InterfaceAddress(
                a.device().orElseThrow(), a.address(), a.prefixLength(), a.label())).toList();
        StaticRouting statics = new StaticRouting(addresses,
                new VirtualRouting("static", config.routes(), config.rules(), kernel.routes(), journal), kernel);
        for (InterfaceAddress address : addresses) {
            try {
                kernel.addOrRenew(address, Optional.empty());
                log.atInfo().setMessage("static address added").addKeyValue("address", address).log();
            } catch (IOException e) {
                log.atError().setMessage("could not add static address").addKeyValue("address", address)
                        .addKeyValue("error", e.getMessage()).log();
            }
        }
        statics.routing.install();
        return statics;
    }

    /** Rules, routes, then addresses, the reverse of {@link #open}. */
    public void remove() {
        routing.remove();
        for (InterfaceAddress address : addresses) {
            try {
                kernel.remove(address);
            } catch (IOException e) {
                log.atError().setMessage("could not remove static address").addKeyValue("address", address)
                        .addKeyValue("error", e.getMessage()).log();
            }
        }
    }
}
