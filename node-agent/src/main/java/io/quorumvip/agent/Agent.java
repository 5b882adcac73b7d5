package io.quorumvip.agent;

import io.quorumvip.script.LocalScriptHost;
import io.quorumvip.script.ScriptUsers;
import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.http.AgentStatus;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.lease.LatchAdapter;
import io.quorumvip.agent.lease.QuorumClient;
import io.quorumvip.agent.lease.SessionProver;
import io.quorumvip.agent.net.AddressManager;
import io.quorumvip.agent.net.ArpAnnouncer;
import io.quorumvip.agent.net.LinkState;
import io.quorumvip.agent.net.NetlinkAddressManager;
import io.quorumvip.agent.net.NetlinkLinkState;
import io.quorumvip.agent.net.PacketSocketArpAnnouncer;
import io.quorumvip.agent.net.RawVrrp6Socket;
import io.quorumvip.agent.net.RawVrrpSocket;
import io.quorumvip.agent.net.VrrpTransport;
import io.quorumvip.agent.script.Notifier;
import io.quorumvip.agent.track.FileTracker;
import io.quorumvip.agent.track.LinkTracker;
import io.quorumvip.agent.track.ProcessTracker;
import io.quorumvip.agent.track.ScriptTracker;
import io.quorumvip.agent.vip.StaticRouting;
import io.quorumvip.agent.vip.VipEffector;
import io.quorumvip.agent.vip.VirtualRouting;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.SyncGroupConfig;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.config.VrrpScript;
import io.quorumvip.config.VrrpTrackFile;
import io.quorumvip.config.VrrpTrackProcess;
import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.instance.InstanceInput;
import io.quorumvip.instance.InstanceSettings;
import io.quorumvip.instance.SyncGroupCore;
import io.quorumvip.track.Weighting;
import io.quorumvip.vrrp.VrrpExpectations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: every vrrp_instance of one config, the sockets they share, their trackers, and the kernel
 * edges. All VRRP state lives on one Vert.x context; receive threads and workers only hand work to it.
 */
public final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(60);
    private static final long LINK_POLL_MILLIS = 100;
    /** How often a vrrp_track_file is read: keepalived's inotify reacts at once, a second is close enough. */
    private static final long FILE_POLL_MILLIS = 1_000;
    /** How often /proc is scanned for a vrrp_track_process (keepalived hears forks and exits at once). */
    private static final long PROCESS_POLL_MILLIS = 1_000;

    private final String node;
    private final Context context;
    private final AddressManager addresses;
    private final LinkState links;
    private final ArpAnnouncer arp;
    private final ExecutorService notifyExecutor;
    private final List<InstanceRunner> runners;
    private final List<VrrpChannel> channels;
    private final List<ScriptTracker> scriptTrackers;
    private final List<LinkTracker> linkTrackers;
    private final List<FileTracker> fileTrackers;
    private final List<ProcessTracker> processTrackers;
    private final StaticRouting statics;
    private final List<LatchAdapter> latches;
    private final Optional<SessionProver> prover;
    private final Optional<QuorumClient> quorum;
    private final String quorumDescription;

    private Agent(String node, Context context, AddressManager addresses, LinkState links, ArpAnnouncer arp,
                  ExecutorService notifyExecutor, List<InstanceRunner> runners, List<VrrpChannel> channels,
                  List<ScriptTracker> scriptTrackers, List<LinkTracker> linkTrackers, List<FileTracker> fileTrackers,
                  List<ProcessTracker> processTrackers, StaticRouting statics, List<LatchAdapter> latches,
                  Optional<SessionProver> prover, Optional<QuorumClient> quorum, String quorumDescription) {
        this.node = node;
        this.context = context;
        this.addresses = addresses;
        this.links = links;
        this.arp = arp;
        this.notifyExecutor = notifyExecutor;
        this.runners = runners;
        this.channels = channels;
        this.scriptTrackers = scriptTrackers;
        this.linkTrackers = linkTrackers;
        this.fileTrackers = fileTrackers;
        this.processTrackers = processTrackers;
        this.statics = statics;
        this.latches = latches;
        this.prover = prover;
        this.quorum = quorum;
        this.quorumDescription = quorumDescription;
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
        PacketSocketArpAnnouncer arp = PacketSocketArpAnnouncer.open();
        ExecutorService notifyExecutor = Executors.newCachedThreadPool(daemonThreads("notify"));
        Context context = vertx.getOrCreateContext();
        List<VrrpChannel> channels = new ArrayList<>();
        List<LatchAdapter> latches = new ArrayList<>();
        Optional<SessionProver> prover = quorum.map(q -> q.prover(confirmationPeriod(config)));
        try {
            InstancePlans plans = InstancePlans.resolve(config, addresses);
            ScriptUsers users = ScriptUsers.of(config.globalDefs(), new LocalScriptHost());
            StaticRouting statics = StaticRouting.open(config.staticRouting(), addresses);
            Map<String, VrrpExpectations> expectationsByDevice = plans.expectationsByDevice();
            List<InstanceRunner> runners = new ArrayList<>();
            List<InstanceRunner> leased = new ArrayList<>();
            for (InstancePlans.ChannelPlan channelPlan : plans.channels()) {
                VrrpTransport socket = openSocket(channelPlan);
                Map<Integer, InstanceRunner> byVrid = new LinkedHashMap<>();
                for (InstancePlans.InstancePlan plan : channelPlan.instances()) {
                    InstanceRunner runner = runner(plan, socket, addresses, arp, vertx, metrics, notifyExecutor,
                            users, journal, quorum.isPresent());
                    if (quorum.isPresent()) {
                        Consumer<InstanceInput> onContext = input -> context.runOnContext(v -> runner.onLease(input));
                        LatchAdapter latch = quorum.get().latch(plan.config().name(), node, onContext);
                        runner.useLatch(latch);
                        latches.add(latch);
                        leased.add(runner);
                    }
                    byVrid.put(plan.config().virtualRouterId(), runner);
                    runners.add(runner);
                }
                channels.add(new VrrpChannel(channelPlan.device(), socket, expectationsByDevice.get(
                        InstancePlans.expectationsKey(channelPlan.device(), channelPlan.ipv6())), byVrid, context,
                        metrics, journal));
            }
            runners.sort((a, b) -> Integer.compare(plans.order(a.name()), plans.order(b.name())));
            // One event-loop task per confirmation for all instances, not one per instance: the prover answers
            // four times a second, and a task per instance per answer was most of the agent's CPU at 100 VIPs.
            prover.ifPresent(p -> p.register(input -> context.runOnContext(v -> {
                for (InstanceRunner runner : leased) {
                    runner.onLease(input);
                }
            })));
            List<ScriptTracker> scriptTrackers = scriptTrackers(config, plans, runners, vertx, metrics, journal, users);
            List<LinkTracker> linkTrackers = linkTrackers(plans, runners, links, vertx, metrics, journal);
            List<SyncGroupRunner> groups = syncGroups(config, runners, notifyExecutor, users, quorum.isPresent());
            List<FileTracker> fileTrackers = fileTrackers(config, plans, runners, vertx, metrics, journal);
            List<ProcessTracker> processTrackers = processTrackers(config, plans, runners, vertx, metrics, journal);
            Agent agent = new Agent(node, context, addresses, links, arp, notifyExecutor, runners, channels,
                    scriptTrackers, linkTrackers, fileTrackers, processTrackers, statics, latches, prover, quorum,
                    config.quorum().map(q -> q.connectString() + q.path()).orElse("disabled"));
            agent.onContext(() -> {
                channels.forEach(VrrpChannel::start);
                groups.forEach(SyncGroupRunner::beforeStart);
                runners.forEach(InstanceRunner::start);
                scriptTrackers.forEach(ScriptTracker::start);
                linkTrackers.forEach(LinkTracker::start);
                fileTrackers.forEach(FileTracker::start);
                processTrackers.forEach(ProcessTracker::start);
            }).toCompletionStage().toCompletableFuture().join();
            prover.ifPresent(SessionProver::start);
            return agent;
        } catch (IOException | RuntimeException e) {
            channels.forEach(VrrpChannel::close);
            arp.close();
            links.close();
            addresses.close();
            notifyExecutor.shutdownNow();
            latches.forEach(LatchAdapter::close);
            prover.ifPresent(SessionProver::close);
            throw e;
        }
    }

    public String node() {
        return node;
    }

    /** A snapshot taken on the agent's context. */
    public Future<AgentStatus> status() {
        Promise<AgentStatus> promise = Promise.promise();
        context.runOnContext(v -> promise.complete(new AgentStatus(node, quorumDescription,
                runners.stream().map(InstanceRunner::status).toList())));
        return promise.future();
    }

    /**
     * Graceful stop, keepalived's order: each instance drops its addresses and sends its priority-0 advert, the
     * notify_stop scripts run, then the sockets close.
     */
    public void stop(Duration notifyGrace) {
        List<CompletableFuture<Void>> notifies = new ArrayList<>();
        onContext(() -> {
            scriptTrackers.forEach(ScriptTracker::stop);
            linkTrackers.forEach(LinkTracker::stop);
            fileTrackers.forEach(FileTracker::stop);
            processTrackers.forEach(ProcessTracker::stop);
            runners.forEach(runner -> notifies.add(runner.shutdown()));
        }).toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
            log.atError().setMessage("graceful shutdown did not finish").setCause(e).log();
            return null;
        }).join();
        try {
            CompletableFuture.allOf(notifies.toArray(CompletableFuture[]::new))
                    .get(notifyGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.atWarn().setMessage("notify scripts still running at exit; killed")
                    .addKeyValue("grace_ms", notifyGrace.toMillis()).log();
        } catch (ExecutionException e) {
            log.atWarn().setMessage("a notify script failed at exit").setCause(e.getCause()).log();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statics.remove();
        notifyExecutor.shutdownNow();
        prover.ifPresent(SessionProver::close);
        latches.forEach(LatchAdapter::close);
        quorum.ifPresent(QuorumClient::close);
        channels.forEach(VrrpChannel::close);
        arp.close();
        links.close();
        addresses.close();
    }

    private Future<Void> onContext(Runnable action) {
        Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                action.run();
                promise.complete();
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }

    /** A raw IPv4 socket, or for an IPv6 instance (IPv6 addresses or native_ipv6) a raw IPv6 one. */
    private static VrrpTransport openSocket(InstancePlans.ChannelPlan plan) throws IOException {
        if (plan.ipv6()) {
            return RawVrrp6Socket.open(plan.device(), plan.source().map(a -> (Inet6Address) a),
                    plan.unicastPeers().stream().map(a -> (Inet6Address) a).toList());
        }
        return RawVrrpSocket.open(plan.device(), plan.source().map(a -> (Inet4Address) a),
                plan.unicastPeers().stream().map(a -> (Inet4Address) a).toList());
    }

    private static InstanceRunner runner(InstancePlans.InstancePlan plan, VrrpTransport socket,
                                         NetlinkAddressManager addresses, ArpAnnouncer arp, Vertx vertx,
                                         AgentMetrics metrics, ExecutorService notifyExecutor, ScriptUsers users,
                                         AgentJournal journal, boolean leased) {
        VrrpInstanceConfig config = plan.config();
        AdvertPublisher publisher = new ChannelAdvertPublisher(plan.advertTemplate(), socket, socket.destinations());
        VipEffector vips = new VipEffector(config.name(), plan.vips(), addresses, arp, config.garp(), vertx, metrics,
                journal, new VirtualRouting(config.name(), config.virtualRoutes(), config.virtualRules(),
                        addresses.routes()));
        Notifier notifier = new Notifier(config.name(), config.notifyScripts(), users, notifyExecutor,
                NOTIFY_TIMEOUT, (line, outcome) -> {
                    metrics.notifyRun(config.name(), outcome.label());
                    log.atInfo().setMessage("notify script ran").addKeyValue("instance", config.name())
                            .addKeyValue("script", line).addKeyValue("outcome", outcome.detail()).log();
                });
        List<String> cidrs = plan.vips().stream().map(v -> v.address().getHostAddress() + "/" + v.prefixLength())
                .toList();
        InstanceSettings settings = new InstanceSettings(config.name(), plan.machineConfig(), leased, cidrs, List.of());
        return new InstanceRunner(settings, config.interfaceName(), publisher, vips, notifier, metrics, vertx,
                System::nanoTime, journal);
    }

    /** Each vrrp_sync_group joins its members' runners; the group's notify scripts run like an instance's. */
    private static List<SyncGroupRunner> syncGroups(KeepalivedConfig config, List<InstanceRunner> runners,
                                                    ExecutorService notifyExecutor, ScriptUsers users,
                                                    boolean leased) {
        List<SyncGroupRunner> groups = new ArrayList<>();
        for (SyncGroupConfig group : config.syncGroups()) {
            Notifier notifier = Notifier.forGroup(group.name(), group.notifyScripts(), users, notifyExecutor,
                    NOTIFY_TIMEOUT, (line, outcome) -> log.atInfo().setMessage("sync group notify script ran")
                            .addKeyValue("group", group.name()).addKeyValue("script", line)
                            .addKeyValue("outcome", outcome.detail()).log());
            SyncGroupRunner runner = new SyncGroupRunner(new SyncGroupCore(group.name(), group.members(), leased),
                    notifier, System::nanoTime);
            for (InstanceRunner member : runners) {
                if (group.members().contains(member.name())) {
                    runner.join(member);
                }
            }
            groups.add(runner);
        }
        return groups;
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

    private static List<ScriptTracker> scriptTrackers(KeepalivedConfig config, InstancePlans plans,
                                                      List<InstanceRunner> runners, Vertx vertx,
                                                      AgentMetrics metrics, AgentJournal journal,
                                                      ScriptUsers users) {
        List<ScriptTracker> trackers = new ArrayList<>();
        for (VrrpScript script : config.vrrpScripts().values()) {
            String trackerName = "script " + script.name();
            List<InstanceRunner> tracking = new ArrayList<>();
            for (InstanceRunner runner : runners) {
                plans.scriptWeighting(runner.name(), script.name()).ifPresent(weighting -> {
                    runner.track(weighting.status(trackerName, true));
                    tracking.add(runner);
                });
            }
            if (tracking.isEmpty()) {
                continue;
            }
            metrics.trackerHealthy(trackerName, true);
            trackers.add(new ScriptTracker(script, users.runAs(script.user()), vertx, (healthy, detail) -> {
                metrics.trackerHealthy(trackerName, healthy);
                journal.record(Cause.health(trackerName, 0), new Event.TrackerResultChanged(trackerName, healthy,
                        detail));
                tracking.forEach(r -> r.onTracker(trackerName, healthy));
            }));
        }
        return trackers;
    }

    /** One tracker per vrrp_track_file some instance tracks; each instance turns the value into its own status. */
    private static List<FileTracker> fileTrackers(KeepalivedConfig config, InstancePlans plans,
                                                  List<InstanceRunner> runners, Vertx vertx, AgentMetrics metrics,
                                                  AgentJournal journal) {
        List<FileTracker> trackers = new ArrayList<>();
        for (VrrpTrackFile file : config.trackFiles().values()) {
            String trackerName = "file " + file.name();
            Map<InstanceRunner, Weighting> tracking = new LinkedHashMap<>();
            runners.forEach(runner -> plans.trackFileWeighting(runner.name(), file)
                    .ifPresent(weighting -> tracking.put(runner, weighting)));
            if (tracking.isEmpty()) {
                continue;
            }
            FileTracker tracker = new FileTracker(file, vertx, FILE_POLL_MILLIS, value -> {
                metrics.trackerHealthy(trackerName, value == 0);
                journal.record(Cause.health(trackerName, 0), new Event.TrackerResultChanged(trackerName, value == 0,
                        "value " + value));
                tracking.forEach((runner, weighting) ->
                        runner.onTrackerStatus(weighting.fileStatus(trackerName, value)));
            });
            metrics.trackerHealthy(trackerName, tracker.value() == 0);
            tracking.forEach((runner, weighting) ->
                    runner.track(weighting.fileStatus(trackerName, tracker.value())));
            trackers.add(tracker);
        }
        return trackers;
    }

    /** One tracker per vrrp_track_process some instance tracks; its verdict weighs like a script's. */
    private static List<ProcessTracker> processTrackers(KeepalivedConfig config, InstancePlans plans,
                                                        List<InstanceRunner> runners, Vertx vertx,
                                                        AgentMetrics metrics, AgentJournal journal) {
        List<ProcessTracker> trackers = new ArrayList<>();
        for (VrrpTrackProcess process : config.trackProcesses().values()) {
            String trackerName = "process " + process.name();
            Map<InstanceRunner, Weighting> tracking = new LinkedHashMap<>();
            runners.forEach(runner -> plans.trackProcessWeighting(runner.name(), process)
                    .ifPresent(weighting -> tracking.put(runner, weighting)));
            if (tracking.isEmpty()) {
                continue;
            }
            ProcessTracker tracker = new ProcessTracker(process, vertx, PROCESS_POLL_MILLIS, up -> {
                metrics.trackerHealthy(trackerName, up);
                journal.record(Cause.health(trackerName, 0), new Event.TrackerResultChanged(trackerName, up,
                        up ? "quorum reached" : "quorum lost"));
                tracking.keySet().forEach(runner -> runner.onTracker(trackerName, up));
            });
            metrics.trackerHealthy(trackerName, tracker.up());
            tracking.forEach((runner, weighting) -> runner.track(weighting.status(trackerName, tracker.up())));
            trackers.add(tracker);
        }
        return trackers;
    }

    private static List<LinkTracker> linkTrackers(InstancePlans plans, List<InstanceRunner> runners, LinkState links,
                                                  Vertx vertx, AgentMetrics metrics, AgentJournal journal) {
        Map<String, List<InstanceRunner>> byDevice = new LinkedHashMap<>();
        for (InstanceRunner runner : runners) {
            plans.interfaceWeightings(runner.name()).keySet()
                    .forEach(device -> byDevice.computeIfAbsent(device, d -> new ArrayList<>()).add(runner));
        }
        List<LinkTracker> trackers = new ArrayList<>();
        byDevice.forEach((device, tracking) -> {
            String trackerName = "interface " + device;
            LinkTracker tracker = new LinkTracker(device, links, vertx, LINK_POLL_MILLIS, up -> {
                metrics.trackerHealthy(trackerName, up);
                journal.record(new Cause(CauseKind.LINK, device, 0), new Event.TrackerResultChanged(trackerName, up,
                        up ? "link up" : "link down"));
                tracking.forEach(r -> r.onTracker(trackerName, up));
            });
            metrics.trackerHealthy(trackerName, tracker.up());
            for (InstanceRunner runner : tracking) {
                runner.track(plans.interfaceWeightings(runner.name()).get(device).status(trackerName, tracker.up()));
            }
            trackers.add(tracker);
        });
        return trackers;
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
