package io.quorumvip.agent;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.http.AgentStatus;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.lease.QuorumClient;
import io.quorumvip.agent.lease.SessionProver;
import io.quorumvip.agent.net.LinkNotifications;
import io.quorumvip.agent.net.NetlinkAddressManager;
import io.quorumvip.agent.net.NetlinkLinkState;
import io.quorumvip.agent.net.PacketSocketArpAnnouncer;
import io.quorumvip.agent.vip.StaticRouting;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.ReloadPlan;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.script.LocalScriptHost;
import io.quorumvip.script.ScriptUsers;
import io.quorumvip.vrrp.VrrpExpectations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: every vrrp_instance of one config, the sockets they share, their trackers, and the kernel
 * edges. All VRRP state lives on one Vert.x context; receive threads and workers only hand work to it. The instances
 * live in {@link InstanceSet}s: one at start, one more for each reload that starts instances.
 */
public final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final InstanceSet.Edges edges;
    private final StaticRouting statics;
    private final String quorumDescription;
    private final List<InstanceSet> sets = new CopyOnWriteArrayList<>();
    /** The running configuration's instance names, in the order written: the status lists them so. */
    private volatile List<String> order;

    private Agent(InstanceSet.Edges edges, StaticRouting statics, String quorumDescription, List<String> order) {
        this.edges = edges;
        this.statics = statics;
        this.quorumDescription = quorumDescription;
        this.order = order;
    }

    /**
     * Opens the kernel edges, builds every instance, and starts them on one context of {@code vertx}. With a
     * {@code quorum} client each instance gets its latch and the node one session prover for all of them; without
     * one, VRRP alone decides, as in keepalived.
     */
    public static Agent start(KeepalivedConfig config, String node, Vertx vertx, AgentMetrics metrics,
                              AgentJournal journal, Optional<QuorumClient> quorum) throws IOException {
        NetlinkAddressManager addresses = NetlinkAddressManager.open();
        NetlinkLinkState links = NetlinkLinkState.open();
        LinkNotifications linkNotifications = LinkNotifications.open();
        PacketSocketArpAnnouncer arp = PacketSocketArpAnnouncer.open();
        ExecutorService notifyExecutor = Executors.newCachedThreadPool(daemonThreads("notify"));
        Optional<SessionProver> prover = quorum.map(q -> q.prover(confirmationPeriod(config)));
        Context context = vertx.getOrCreateContext();
        Executor endOfTask = task -> context.runOnContext(v -> task.run());
        InstanceSet.Edges edges = new InstanceSet.Edges(node, vertx, context,
                new InstanceCalendar(new VertxTimers(vertx), endOfTask, System::nanoTime),
                new RenewalBatch(endOfTask, addresses, System::nanoTime),
                metrics, journal,
                addresses, links, linkNotifications, arp, notifyExecutor, ScriptUsers.of(config.globalDefs(), new LocalScriptHost()),
                quorum, prover);
        InstanceSet set = null;
        try {
            InstancePlans plans = InstancePlans.resolve(config, addresses);
            StaticRouting statics = StaticRouting.open(config.staticRouting(), addresses, edges.journal());
            set = InstanceSet.build(config, plans, plans.expectationsByDevice(), edges);
            Agent agent = new Agent(edges, statics, config.quorum().map(q -> q.connectString() + q.path())
                    .orElse("disabled"), names(config));
            join(agent.onContext(set::start));
            set.registerLease();
            agent.sets.add(set);
            prover.ifPresent(SessionProver::start);
            return agent;
        } catch (IOException | RuntimeException e) {
            if (set != null) {
                set.close();
            }
            arp.close();
            linkNotifications.close();
            links.close();
            addresses.close();
            notifyExecutor.shutdownNow();
            prover.ifPresent(SessionProver::close);
            throw e;
        }
    }

    public String node() {
        return edges.node();
    }

    /** A snapshot taken on the agent's context. */
    public Future<AgentStatus> status() {
        Promise<AgentStatus> promise = Promise.promise();
        edges.context().runOnContext(v -> {
            List<String> names = order;
            promise.complete(new AgentStatus(edges.node(), quorumDescription, sets.stream()
                    .flatMap(s -> s.runners().stream())
                    .sorted(Comparator.comparingInt(r -> names.indexOf(r.name())))
                    .map(InstanceRunner::status).toList()));
        });
        return promise.future();
    }

    /**
     * Carries out a reload {@code plan} that has no refusals, towards {@code next}: the removed and changed
     * instances stop by the graceful path of a stop (addresses removed, latch released, priority-0 advert,
     * notify_stop), then the changed and added ones start with their new blocks. Unchanged instances are not
     * touched: their state, lease and addresses go on. Runs on the calling thread (the SIGHUP handler), waiting at
     * most {@code stopGrace} for the stops. Throws {@link IOException}, with nothing stopped, when the instances
     * to start cannot be built (an interface missing, a socket refused). {@code beforeChanges} runs once they are
     * built and before anything stops (the reloader journals the reload there, so its effects follow it in the
     * journal); if it throws, nothing is stopped either.
     */
    public void reload(KeepalivedConfig next, ReloadPlan plan, Duration stopGrace, Runnable beforeChanges)
            throws IOException {
        if (!plan.refusals().isEmpty()) {
            throw new IllegalArgumentException("a refused reload plan cannot be applied: " + plan.refusals());
        }
        Map<String, VrrpExpectations> expectations = InstancePlans.resolve(next, edges.addresses())
                .expectationsByDevice();
        Optional<InstanceSet> starting = Optional.empty();
        if (!plan.toStart().isEmpty()) {
            KeepalivedConfig subset = next.withOnlyInstances(plan.toStart());
            try {
                starting = Optional.of(InstanceSet.build(subset, InstancePlans.resolve(subset, edges.addresses()),
                        expectations, edges));
            } catch (IOException e) {
                throw new IOException("cannot build " + plan.toStart() + ", so nothing was stopped: "
                        + e.getMessage(), e);
            }
        }
        try {
            beforeChanges.run();
        } catch (RuntimeException e) {
            starting.ifPresent(InstanceSet::close);
            throw e;
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        join(onContext(() -> plan.toStop().forEach(name -> sets.stream().filter(s -> s.runs(name)).findFirst()
                .ifPresent(set -> stops.add(set.shutdown(name))))));
        awaitStops(stops, stopGrace);
        List<InstanceSet> emptied = new ArrayList<>();
        join(onContext(() -> {
            sets.stream().filter(InstanceSet::isEmpty).forEach(emptied::add);
            sets.removeAll(emptied);
            sets.forEach(set -> set.expect(expectations));
        }));
        emptied.forEach(InstanceSet::close);
        if (starting.isPresent()) {
            InstanceSet set = starting.get();
            try {
                join(onContext(set::start));
            } catch (RuntimeException e) {
                throw new IllegalStateException(plan.toStop() + " stopped, but starting " + plan.toStart()
                        + " failed: " + e.getMessage() + "; restart the agent to run the new configuration", e);
            }
            set.registerLease();
            sets.add(set);
        }
        order = names(next);
    }

    /**
     * Graceful stop, keepalived's order: each instance drops its addresses and sends its priority-0 advert, the
     * notify_stop scripts run, then the sockets close.
     */
    public void stop(Duration notifyGrace) {
        List<CompletableFuture<Void>> notifies = new ArrayList<>();
        onContext(() -> sets.forEach(set -> notifies.addAll(set.shutdown())))
                .toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
                    log.atError().setMessage("graceful shutdown did not finish").setCause(e).log();
                    return null;
                }).join();
        awaitStops(notifies, notifyGrace);
        statics.remove();
        edges.notifyExecutor().shutdownNow();
        edges.prover().ifPresent(SessionProver::close);
        sets.forEach(InstanceSet::close);
        edges.quorum().ifPresent(QuorumClient::close);
        edges.arp().close();
        edges.linkNotifications().close();
        edges.links().close();
        edges.addresses().close();
    }

    private static void awaitStops(List<CompletableFuture<Void>> stops, Duration grace) {
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.atWarn().setMessage("notify scripts still running after the grace; not waited for")
                    .addKeyValue("grace_ms", grace.toMillis()).log();
        } catch (ExecutionException e) {
            log.atWarn().setMessage("a notify script failed at a stop").setCause(e.getCause()).log();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Future<Void> done) {
        done.toCompletionStage().toCompletableFuture().join();
    }

    private static List<String> names(KeepalivedConfig config) {
        return config.vrrpInstances().stream().map(VrrpInstanceConfig::name).toList();
    }

    private Future<Void> onContext(Runnable action) {
        Promise<Void> promise = Promise.promise();
        edges.context().runOnContext(v -> {
            try {
                action.run();
                promise.complete();
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }

    /**
     * How often the node's session prover confirms: a quarter of the shortest advert interval, within
     * 100 ms..1 s, so one slow answer costs little (docs/lease.md).
     */
    private static Duration confirmationPeriod(KeepalivedConfig config) {
        long shortestMillis = config.vrrpInstances().stream().mapToLong(i -> i.advertInterval().toMillis()).min()
                .orElse(1_000);
        return Duration.ofMillis(Math.max(100, Math.min(1_000, shortestMillis / 4)));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
