package io.quorumvip.agent;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.lease.LatchAdapter;
import io.quorumvip.agent.lease.QuorumClient;
import io.quorumvip.agent.lease.SessionProver;
import io.quorumvip.agent.net.ArpAnnouncer;
import io.quorumvip.agent.net.LinkNotifications;
import io.quorumvip.agent.net.LinkState;
import io.quorumvip.agent.net.NetlinkAddressManager;
import io.quorumvip.agent.net.RawVrrp6Socket;
import io.quorumvip.agent.net.RawVrrpSocket;
import io.quorumvip.agent.net.VrrpTransport;
import io.quorumvip.agent.script.Notifier;
import io.quorumvip.agent.track.FileTracker;
import io.quorumvip.agent.track.LinkTracker;
import io.quorumvip.agent.track.ProcessTracker;
import io.quorumvip.agent.track.ScriptTracker;
import io.quorumvip.agent.vip.VipEffector;
import io.quorumvip.agent.vip.VirtualRouting;
import io.quorumvip.agent.vip.VmacInterfaces;
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
import io.quorumvip.instance.InterfacePlan;
import io.quorumvip.instance.SyncGroupCore;
import io.quorumvip.script.ScriptUsers;
import io.quorumvip.track.Weighting;
import io.quorumvip.vrrp.VrrpExpectations;
import io.vertx.core.Context;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances started together, with the sockets and trackers that serve only them: all of a configuration's
 * instances when the agent starts, the added and changed ones when a reload applies a {@link
 * io.quorumvip.config.ReloadPlan}. One instance of a set can stop alone (a reload removing or changing it) by the
 * same graceful path as a whole stop; the set's sockets and trackers go with its last instance. Everything but
 * {@link #build}, {@link #registerLease} and {@link #close} runs on the agent's context.
 */
final class InstanceSet {

    private static final Logger log = LoggerFactory.getLogger(InstanceSet.class);
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How often a tracked link is read although notifications tell its changes: only in case one was lost without the
     * kernel saying so (ENOBUFS is told, and re-read at once).
     */
    private static final long LINK_REREAD_MILLIS = 5_000;
    /** How often a vrrp_track_file is read: keepalived's inotify reacts at once, a second is close enough. */
    private static final long FILE_POLL_MILLIS = 1_000;
    /** How often /proc is scanned for a vrrp_track_process (keepalived hears forks and exits at once). */
    private static final long PROCESS_POLL_MILLIS = 1_000;

    /**
     * What every set of one agent shares: the kernel edges, the context with its one calendar of instance timers
     * and its one batch of address renewals, the journal and the lease.
     */
    record Edges(String node, Vertx vertx, Context context, InstanceCalendar calendar, RenewalBatch renewals,
                 AgentMetrics metrics,
                 AgentJournal journal,
                 NetlinkAddressManager addresses, LinkState links, LinkNotifications linkNotifications,
                 ArpAnnouncer arp, ExecutorService notifyExecutor,
                 ScriptUsers users, Optional<QuorumClient> quorum, Optional<SessionProver> prover) {
    }

    private final Edges edges;
    private final VmacInterfaces vmacs;
    private final List<VrrpChannel> channels;
    /** Each socket's key into the expectations: its base interface, which a VMAC socket is not bound to. */
    private final Map<VrrpChannel, String> expectationKeys;
    private final List<InstanceRunner> runners;
    private final List<InstanceRunner> leased;
    private final Map<String, LatchAdapter> latches;
    private final List<SyncGroupRunner> groups;
    private final List<ScriptTracker> scriptTrackers;
    private final List<LinkTracker> linkTrackers;
    private final List<FileTracker> fileTrackers;
    private final List<ProcessTracker> processTrackers;
    /** One event-loop task per confirmation for all the set's leased instances (see {@link #registerLease}). */
    private final Consumer<InstanceInput> leaseListener;

    private InstanceSet(Edges edges, VmacInterfaces vmacs, List<VrrpChannel> channels,
                        Map<VrrpChannel, String> expectationKeys, List<InstanceRunner> runners,
                        List<InstanceRunner> leased, Map<String, LatchAdapter> latches, List<SyncGroupRunner> groups,
                        List<ScriptTracker> scriptTrackers, List<LinkTracker> linkTrackers,
                        List<FileTracker> fileTrackers, List<ProcessTracker> processTrackers) {
        this.edges = edges;
        this.vmacs = vmacs;
        this.channels = channels;
        this.expectationKeys = expectationKeys;
        this.runners = new CopyOnWriteArrayList<>(runners);
        this.leased = new CopyOnWriteArrayList<>(leased);
        this.latches = latches;
        this.groups = groups;
        this.scriptTrackers = scriptTrackers;
        this.linkTrackers = linkTrackers;
        this.fileTrackers = fileTrackers;
        this.processTrackers = processTrackers;
        this.leaseListener = input -> edges.context().runOnContext(v -> {
            for (InstanceRunner runner : this.leased) {
                runner.onProver(input);
            }
        });
    }

    /**
     * Opens the sockets and builds the runners, latches and trackers of every instance of {@code config}, started
     * by none of them yet. {@code expectationsByDevice} holds every VRID of the whole configuration, so the set's
     * sockets do not count another set's adverts as unknown. Throws with nothing left open.
     */
    static InstanceSet build(KeepalivedConfig config, InstancePlans plans,
                             Map<String, VrrpExpectations> expectationsByDevice, Edges edges) throws IOException {
        List<VrrpChannel> channels = new ArrayList<>();
        Map<VrrpChannel, String> expectationKeys = new LinkedHashMap<>();
        Map<String, LatchAdapter> latches = new LinkedHashMap<>();
        Map<String, InterfacePlan> interfacePlans = new LinkedHashMap<>();
        plans.instances().forEach(plan -> interfacePlans.put(plan.config().name(), plan.interfaces()));
        VmacInterfaces vmacs = VmacInterfaces.open(interfacePlans);
        try {
            vmacs.create();
            List<InstanceRunner> runners = new ArrayList<>();
            List<InstanceRunner> leased = new ArrayList<>();
            for (InstancePlans.ChannelPlan channelPlan : plans.channels()) {
                VrrpTransport socket = openSocket(channelPlan);
                Map<Integer, InstanceRunner> byVrid = new LinkedHashMap<>();
                for (InstancePlans.InstancePlan plan : channelPlan.instances()) {
                    InstanceRunner runner = runner(plan, socket, edges, edges.quorum().isPresent());
                    if (edges.quorum().isPresent()) {
                        Consumer<InstanceInput> onContext = input -> edges.context()
                                .runOnContext(v -> runner.onLease(input));
                        LatchAdapter latch = edges.quorum().get().latch(plan.config().name(), edges.node(), onContext);
                        runner.useLatch(latch);
                        latches.put(runner.name(), latch);
                        leased.add(runner);
                    }
                    byVrid.put(plan.config().virtualRouterId(), runner);
                    runners.add(runner);
                }
                String expectationKey = InstancePlans.expectationsKey(channelPlan.base(), channelPlan.ipv6());
                VrrpChannel channel = new VrrpChannel(channelPlan.device(), socket,
                        expectationsByDevice.get(expectationKey), byVrid, edges.context(), edges.metrics(),
                        edges.journal());
                channels.add(channel);
                expectationKeys.put(channel, expectationKey);
            }
            runners.sort((a, b) -> Integer.compare(plans.order(a.name()), plans.order(b.name())));
            return new InstanceSet(edges, vmacs, channels, expectationKeys, runners, leased, latches,
                    syncGroups(config, runners, edges.notifyExecutor(), edges.users(), edges.quorum().isPresent(),
                            edges.journal()),
                    scriptTrackers(config, plans, runners, edges.vertx(), edges.metrics(), edges.journal(),
                            edges.users()),
                    linkTrackers(plans, runners, edges, edges.metrics(), edges.journal()),
                    fileTrackers(config, plans, runners, edges.vertx(), edges.metrics(), edges.journal()),
                    processTrackers(config, plans, runners, edges.vertx(), edges.metrics(), edges.journal()));
        } catch (IOException | RuntimeException e) {
            channels.forEach(VrrpChannel::close);
            latches.values().forEach(LatchAdapter::close);
            vmacs.close();
            throw e;
        }
    }

    List<InstanceRunner> runners() {
        return runners;
    }

    boolean runs(String instance) {
        return runners.stream().anyMatch(r -> r.name().equals(instance));
    }

    boolean isEmpty() {
        return runners.isEmpty();
    }

    /** On the context: the sockets listen, the sync groups close their gates, the instances and trackers start. */
    void start() {
        channels.forEach(VrrpChannel::start);
        groups.forEach(SyncGroupRunner::beforeStart);
        runners.forEach(InstanceRunner::start);
        scriptTrackers.forEach(ScriptTracker::start);
        linkTrackers.forEach(LinkTracker::start);
        fileTrackers.forEach(FileTracker::start);
        processTrackers.forEach(ProcessTracker::start);
    }

    /** After {@link #start}: the node's session prover tells the set's leased instances of the session. */
    void registerLease() {
        if (!leased.isEmpty()) {
            edges.prover().ifPresent(p -> p.register(leaseListener));
        }
    }

    /** On the context: the trackers stop and every instance stops gracefully, as at a stop of the agent. */
    List<CompletableFuture<Void>> shutdown() {
        stopTrackers();
        return runners.stream().map(InstanceRunner::shutdown).toList();
    }

    /**
     * On the context: one instance stops gracefully (addresses, latch, priority-0 advert, notify_stop) and leaves
     * the set; its socket no longer hands it adverts. The trackers stop with the set's last instance.
     */
    CompletableFuture<Void> shutdown(String instance) {
        InstanceRunner runner = runners.stream().filter(r -> r.name().equals(instance)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no running vrrp_instance named " + instance));
        CompletableFuture<Void> stopped = runner.shutdown();
        runners.remove(runner);
        return stopped.whenComplete((v, e) -> edges.context().runOnContext(x -> {
            leased.remove(runner);
            channels.forEach(channel -> channel.forget(runner.vrid(), runner));
            Optional.ofNullable(latches.remove(instance)).ifPresent(LatchAdapter::close);
            if (runners.isEmpty()) {
                stopTrackers();
            }
        }));
    }

    /** Every socket of the set checks adverts against the VRIDs of the configuration now running. */
    void expect(Map<String, VrrpExpectations> expectationsByDevice) {
        channels.forEach(channel -> channel.expect(expectationsByDevice.get(expectationKeys.get(channel))));
    }

    /** Off the context, after the instances stopped: the latches, the lease listener and the sockets close. */
    void close() {
        edges.prover().ifPresent(p -> p.unregister(leaseListener));
        latches.values().forEach(LatchAdapter::close);
        channels.forEach(VrrpChannel::close);
        // After the priority-0 adverts, which go out of the macvlans.
        vmacs.close();
    }

    private void stopTrackers() {
        scriptTrackers.forEach(ScriptTracker::stop);
        linkTrackers.forEach(LinkTracker::stop);
        fileTrackers.forEach(FileTracker::stop);
        processTrackers.forEach(ProcessTracker::stop);
    }

    /** A raw IPv4 socket, or for an IPv6 instance (IPv6 addresses or native_ipv6) a raw IPv6 one. */
    private static VrrpTransport openSocket(InstancePlans.ChannelPlan plan) throws IOException {
        if (plan.ipv6()) {
            return RawVrrp6Socket.open(plan.device(), plan.source().map(a -> (Inet6Address) a),
                    plan.unicastPeers().stream().map(a -> (Inet6Address) a).toList());
        }
        return RawVrrpSocket.open(plan.device(), plan.base(), plan.source().map(a -> (Inet4Address) a),
                plan.unicastPeers().stream().map(a -> (Inet4Address) a).toList());
    }

    private static InstanceRunner runner(InstancePlans.InstancePlan plan, VrrpTransport socket, Edges edges,
                                         boolean leased) {
        NetlinkAddressManager addresses = edges.addresses();
        Vertx vertx = edges.vertx();
        AgentMetrics metrics = edges.metrics();
        AgentJournal journal = edges.journal();
        VrrpInstanceConfig config = plan.config();
        AdvertPublisher publisher = new ChannelAdvertPublisher(plan.advertTemplate(), socket, socket.destinations());
        VipEffector vips = new VipEffector(config.name(), plan.vips(), addresses, edges.arp(), config.garp(), vertx,
                metrics, journal, new VirtualRouting(config.name(), config.virtualRoutes(), config.virtualRules(),
                        addresses.routes(), journal));
        Notifier notifier = new Notifier(config.name(), config.notifyScripts(), edges.users(), edges.notifyExecutor(),
                NOTIFY_TIMEOUT, (line, outcome) -> {
                    metrics.notifyRun(config.name(), outcome.label());
                    log.atInfo().setMessage("notify script ran").addKeyValue("instance", config.name())
                            .addKeyValue("script", line).addKeyValue("outcome", outcome.detail()).log();
                });
        List<String> cidrs = plan.vips().stream().map(v -> v.address().getHostAddress() + "/" + v.prefixLength())
                .toList();
        InstanceSettings settings = new InstanceSettings(config.name(), plan.machineConfig(), leased, cidrs, List.of());
        return new InstanceRunner(settings, config.interfaceName(), publisher, vips, notifier, metrics, vertx,
                edges.calendar(), edges.renewals(), System::nanoTime, journal);
    }

    /** Each vrrp_sync_group joins its members' runners; the group's notify scripts run like an instance's. */
    private static List<SyncGroupRunner> syncGroups(KeepalivedConfig config, List<InstanceRunner> runners,
                                                    ExecutorService notifyExecutor, ScriptUsers users,
                                                    boolean leased, AgentJournal journal) {
        List<SyncGroupRunner> groups = new ArrayList<>();
        for (SyncGroupConfig group : config.syncGroups()) {
            Notifier notifier = Notifier.forGroup(group.name(), group.notifyScripts(), users, notifyExecutor,
                    NOTIFY_TIMEOUT, (line, outcome) -> log.atInfo().setMessage("sync group notify script ran")
                            .addKeyValue("group", group.name()).addKeyValue("script", line)
                            .addKeyValue("outcome", outcome.detail()).log());
            SyncGroupRunner runner = new SyncGroupRunner(new SyncGroupCore(group.name(), group.members(), leased),
                    notifier, System::nanoTime, journal);
            for (InstanceRunner member : runners) {
                if (group.members().contains(member.name())) {
                    runner.join(member);
                }
            }
            groups.add(runner);
        }
        return groups;
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

    private static List<LinkTracker> linkTrackers(InstancePlans plans, List<InstanceRunner> runners, Edges edges,
                                                  AgentMetrics metrics, AgentJournal journal) {
        Map<String, List<InstanceRunner>> byDevice = new LinkedHashMap<>();
        for (InstanceRunner runner : runners) {
            plans.interfaceWeightings(runner.name()).keySet()
                    .forEach(device -> byDevice.computeIfAbsent(device, d -> new ArrayList<>()).add(runner));
        }
        List<LinkTracker> trackers = new ArrayList<>();
        byDevice.forEach((device, tracking) -> {
            String trackerName = "interface " + device;
            LinkTracker tracker = new LinkTracker(device, edges.links(), edges.linkNotifications(), edges.vertx(),
                    LINK_REREAD_MILLIS, up -> {
                        metrics.trackerHealthy(trackerName, up);
                        journal.record(new Cause(CauseKind.LINK, device, 0),
                                new Event.TrackerResultChanged(trackerName, up, up ? "link up" : "link down"));
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

}
