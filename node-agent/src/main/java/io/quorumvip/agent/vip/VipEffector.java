package io.quorumvip.agent.vip;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.net.AddressManager;
import io.quorumvip.agent.net.ArpAnnouncer;
import io.quorumvip.agent.net.InterfaceAddress;
import io.quorumvip.config.GarpSettings;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event.VipBound;
import io.quorumvip.events.Event.VipReleased;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one instance's ownership decision to the kernel: binds its virtual addresses (with an optional kernel
 * lifetime) and announces them with gratuitous ARP (IPv6: unsolicited neighbour advertisements), or releases them.
 * It remembers what it applied, so calling it again with the same decision does no I/O beyond renewing lifetimes. Runs on the agent's event loop.
 */
public final class VipEffector {

    /** The lifetime journaled for an address bound without one: it stays until removed. */
    public static final int FOREVER = 0;

    private static final Logger log = LoggerFactory.getLogger(VipEffector.class);

    private final String instance;
    private final List<InterfaceAddress> vips;
    private final AddressManager addresses;
    private final ArpAnnouncer arp;
    private final GarpSettings garp;
    private final Vertx vertx;
    private final AgentMetrics metrics;
    private final AgentJournal journal;
    private final VirtualRouting routing;
    private boolean owned;
    private long ownershipGeneration;
    private long refreshTimer = -1;

    public VipEffector(String instance, List<InterfaceAddress> vips, AddressManager addresses, ArpAnnouncer arp,
                       GarpSettings garp, Vertx vertx, AgentMetrics metrics, AgentJournal journal) {
        this(instance, vips, addresses, arp, garp, vertx, metrics, journal, VirtualRouting.NONE);
    }

    /** @param routing the instance's virtual_routes and virtual_rules, which come and go with its addresses */
    public VipEffector(String instance, List<InterfaceAddress> vips, AddressManager addresses, ArpAnnouncer arp,
                       GarpSettings garp, Vertx vertx, AgentMetrics metrics, AgentJournal journal,
                       VirtualRouting routing) {
        this.instance = instance;
        this.routing = routing;
        this.vips = List.copyOf(vips);
        this.addresses = addresses;
        this.arp = arp;
        this.garp = garp;
        this.vertx = vertx;
        this.metrics = metrics;
        this.journal = journal;
    }

    public boolean owned() {
        return owned;
    }

    public List<InterfaceAddress> vips() {
        return vips;
    }

    /**
     * Binds every address (or renews its lifetime when already bound). The caller (the instance core) has written
     * the gain ahead in the journal. The first bind announces the addresses.
     *
     * @return true when every address is on its interface now
     */
    public boolean own(Optional<Duration> lifetime, Cause cause) {
        if (owned && lifetime.isEmpty()) {
            return true;
        }
        return applied(addresses.addOrRenewAll(requests(lifetime)), lifetime, cause);
    }

    /** Every address with {@code lifetime}, for a caller that sends several instances' requests at once. */
    public List<AddressManager.Request> requests(Optional<Duration> lifetime) {
        return vips.stream().map(vip -> new AddressManager.Request(vip, lifetime)).toList();
    }

    /**
     * What the kernel did with {@link #requests}: as {@link #own} after its netlink calls (journal, log, and on the
     * first bind the announcements and routes).
     *
     * @param outcomes one per address, in the order of {@link #requests}
     * @return true when every address is on its interface now
     */
    public boolean applied(List<AddressManager.Outcome> outcomes, Optional<Duration> lifetime, Cause cause) {
        int lifetimeSeconds = lifetime.map(d -> (int) d.toSeconds()).orElse(FOREVER);
        boolean all = true;
        for (int i = 0; i < vips.size(); i++) {
            InterfaceAddress vip = vips.get(i);
            AddressManager.Outcome outcome = outcomes.get(i);
            if (outcome.error().isPresent()) {
                all = false;
                metrics.error(instance, "bind");
                log.atError().setMessage("could not bind virtual address").addKeyValue("instance", instance)
                        .addKeyValue("vip", vip).addKeyValue("error", outcome.error().get().getMessage()).log();
            } else if (outcome.created() || !owned) {
                journal.record(cause, new VipBound(instance, cidr(vip), lifetimeSeconds));
            }
        }
        if (!owned && all) {
            owned = true;
            ownershipGeneration++;
            metrics.vipOwned(instance, true);
            log.atInfo().setMessage("virtual addresses bound").addKeyValue("instance", instance)
                    .addKeyValue("vips", vips).addKeyValue("cause", cause).log();
            announce(garp.masterRepeat());
            scheduleFollowUps(ownershipGeneration);
            // After the addresses: a route via or from a VIP needs it, and the gain is journaled ahead by now.
            if (!routing.install()) {
                metrics.error(instance, "route");
            }
        }
        return all;
    }

    /**
     * Removes every address (also those this process did not add, e.g. left over by a crashed run). The release of
     * an owned address is journaled even when its kernel lifetime already took it.
     *
     * @param lifetimeEndedNanos when the kernel lifetime last given to the addresses ran out (monotonic), if it has:
     *                           an owned address found already gone was removed by the kernel then, and the
     *                           journal says so (forensics must not count it as bound until now)
     * @return true when no address of the instance is on its interface any more
     */
    public boolean release(Cause cause, OptionalLong lifetimeEndedNanos) {
        boolean wasOwned = owned;
        owned = false;
        ownershipGeneration++;
        if (refreshTimer >= 0) {
            vertx.cancelTimer(refreshTimer);
            refreshTimer = -1;
        }
        boolean removedAny = false;
        // Routes and rules before the addresses they may use; also those a crashed run left.
        boolean all = routing.remove();
        if (!all) {
            metrics.error(instance, "route");
        }
        for (InterfaceAddress vip : vips) {
            try {
                boolean removed = addresses.remove(vip);
                removedAny |= removed;
                // An owned address the kernel no longer has ran out of lifetime before this release: it is gone
                // all the same, and the journal must say so, or replay keeps it bound.
                if (removed) {
                    journal.record(cause, new VipReleased(instance, cidr(vip)));
                } else if (wasOwned) {
                    long endedMicros = lifetimeEndedNanos.isPresent()
                            ? journal.wallMicrosAt(lifetimeEndedNanos.getAsLong()) : 0;
                    journal.record(cause, new VipReleased(instance, cidr(vip), endedMicros));
                }
            } catch (IOException e) {
                all = false;
                metrics.error(instance, "release");
                log.atError().setMessage("could not remove virtual address").addKeyValue("instance", instance)
                        .addKeyValue("vip", vip).addKeyValue("error", e.getMessage()).log();
            }
        }
        if (wasOwned) {
            metrics.vipOwned(instance, false);
        }
        if (wasOwned || removedAny) {
            log.atInfo().setMessage("virtual addresses released").addKeyValue("instance", instance)
                    .addKeyValue("vips", vips).addKeyValue("cause", cause).log();
        }
        return all;
    }

    /** Announces the bound addresses again now, e.g. after a dual-master episode ended. */
    public void reannounce() {
        if (owned) {
            announce(garp.masterRepeat());
        }
    }

    private static String cidr(InterfaceAddress vip) {
        return vip.address().getHostAddress() + "/" + vip.prefixLength();
    }

    private void scheduleFollowUps(long generation) {
        if (!garp.masterDelay().isZero()) {
            vertx.setTimer(garp.masterDelay().toMillis(), id -> {
                if (owned && ownershipGeneration == generation) {
                    announce(garp.masterRepeat());
                }
            });
        }
        if (!garp.masterRefresh().isZero()) {
            refreshTimer = vertx.setPeriodic(garp.masterRefresh().toMillis(), id -> {
                if (owned && ownershipGeneration == generation) {
                    announce(garp.masterRefreshRepeat());
                }
            });
        }
    }

    private void announce(int times) {
        int sent = 0;
        for (InterfaceAddress vip : vips) {
            for (int i = 0; i < times; i++) {
                try {
                    arp.announce(vip.device(), vip.address());
                    sent++;
                } catch (IOException e) {
                    metrics.error(instance, "garp");
                    log.atWarn().setMessage("gratuitous ARP failed").addKeyValue("instance", instance)
                            .addKeyValue("vip", vip).addKeyValue("error", e.getMessage()).log();
                    break;
                }
            }
        }
        if (sent > 0) {
            metrics.garpSent(instance, sent);
        }
    }
}
