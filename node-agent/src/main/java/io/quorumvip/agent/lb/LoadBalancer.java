package io.quorumvip.agent.lb;

import io.quorumvip.script.LocalScriptHost;
import io.quorumvip.script.ScriptUsers;
import io.quorumvip.agent.net.NeighbourResolver;
import io.quorumvip.agent.net.Sysctl;
import io.quorumvip.agent.nft.NftablesException;
import io.quorumvip.check.CheckRules;
import io.quorumvip.check.FileCheck;
import io.quorumvip.check.ProbeCadence;
import io.quorumvip.check.ProbeCalendar;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.check.RealServerHealth;
import io.quorumvip.check.ResultHandOver;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.NotifyScript;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.ReloadPlan;
import io.quorumvip.config.VirtualIpAddress;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VirtualService;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.config.VrrpTrackFile;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.lb.ConntrackBudget;
import io.quorumvip.lb.DrPath;
import io.quorumvip.lb.ElementChange;
import io.quorumvip.lb.LvsStats;
import io.quorumvip.lb.NeighbourReads;
import io.quorumvip.lb.NftProgram;
import io.quorumvip.lb.NftProgramBuilder;
import io.quorumvip.lb.Pool;
import io.quorumvip.lb.PoolFold;
import io.quorumvip.lb.PoolMember;
import io.quorumvip.lb.RealServerState;
import io.quorumvip.lb.ServicePlan;
import io.netty.channel.SingleThreadEventLoop;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.impl.ContextInternal;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's load balancer: runs the checks of every real server (TCP_CHECK and HTTP_GET on one probe thread,
 * SSL_GET, SMTP_CHECK, DNS_CHECK, UDP_CHECK and AGENT_CHECK on Vert.x clients, PING_CHECK on one shared raw socket,
 * MISC_CHECK on a bounded script pool, FILE_CHECK by reading its track_file), feeds their results to the pure
 * checker core and pool fold, and applies the resulting nftables program through libnftables, only what changed,
 * one transaction per change. Every verdict, pool, quorum and sorry-server change is journaled. All state lives on
 * one Vert.x context; the kernel is written from one applier thread, in order.
 *
 * <p>The checks run on an event loop of their own (a Vert.x instance the load balancer owns), never on the agent's:
 * 10,000 checks a second keep that thread busy, and a VRRP advert must not queue behind them. The two threads share
 * the CPU as the kernel schedules them, so a check burst delays an advert by a scheduling slice at worst, not by the
 * burst.
 */
public final class LoadBalancer {

    private static final Logger log = LoggerFactory.getLogger(LoadBalancer.class);
    static final int SCRIPT_THREADS = 4;
    static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration OMEGA_GRACE = Duration.ofSeconds(10);
    static final Path PROC_NET_ARP = Path.of("/proc/net/arp");
    /** How long the first program waits for DR real servers' MACs; an answer on a LAN takes well under a ms. */
    static final Duration MAC_WAIT = Duration.ofSeconds(1);
    /** How often a DR real server whose MAC is still unknown is asked for again. */
    static final Duration MAC_RETRY = Duration.ofSeconds(1);
    /**
     * Probes on the wire at once; more wait (in order) for one to end. Each holds a socket until its answer or its
     * connect_timeout, so 10,000 real servers that stop answering at once hold 10,000 sockets without this bound.
     */
    static final int MAX_PROBES_IN_FLIGHT = 4096;

    private final Vertx vertx;
    private final Context context;
    private final BiConsumer<Cause, Event> journal;
    private final DataPlane dataPlane;
    private final ExecutorService scripts;
    private final ExecutorService notifications;
    private final ExecutorService applier;
    private final CheckerProbers otherProbers;
    private final CheckClients clients;
    private final ArrayDeque<Runnable> waitingProbes = new ArrayDeque<>();
    /** Every checker's next probe, woken by one timer ({@link ProbeCalendar} says why), on the context. */
    private final ProbeCalendar<Booking> calendar = new ProbeCalendar<>();
    private long wakeTimer = -1;
    private long wakeAtNanos;
    /** The context's Netty loop, which runs a due batch after its next pass over the ready sockets. */
    private final SingleThreadEventLoop eventLoop;
    private boolean batchQueued;
    private int probesInFlight;
    private final ScriptUsers users;
    /** The running virtual servers, configuration and check sharing: replaced whole by a reload, on the context. */
    private volatile List<Service> services;
    private CheckSharing sharing;
    private KeepalivedConfig config;
    private final LbMetrics metrics;
    /**
     * Opened by the first configuration with a DR virtual server, at start or at a reload (see {@link
     * #resolverFor}); guarded by this object, as a reload prepares off the context.
     */
    private Optional<NeighbourResolver> resolver = Optional.empty();
    private long macTimer = -1;
    /** When a check result or the MAC timer re-reads the neighbour table for DR, on the context. */
    private final NeighbourReads neighbourReads = new NeighbourReads();
    /** The families the program has a table in: fixed by the configuration, whatever the pools. */
    private volatile List<String> families = List.of();
    private long generation;
    private boolean reprogramQueued;
    private long appliedGeneration;
    private NftProgram appliedOnApplier;
    /** The last program built, with its pieces: the next build redoes only the virtual servers that changed. */
    private NftProgramBuilder.Built built = NftProgramBuilder.Built.NONE;
    private String lastApplyError = "";
    private volatile boolean stopped;

    private LoadBalancer(KeepalivedConfig config, BiConsumer<Cause, Event> journal, DataPlane dataPlane,
                         List<Service> services, PrometheusRegistry registry) {
        this.config = config;
        this.metrics = new LbMetrics(registry);
        // No class-path file resolving, as for the agent's own Vert.x (AgentMain says why).
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(1).setPreferNativeTransport(true).setFileSystemOptions(
                        new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false)));
        if (!vertx.isNativeTransportEnabled()) {
            log.atWarn().setMessage("the health checks run on Java NIO instead of epoll, at more CPU per probe")
                    .addKeyValue("reason", String.valueOf(vertx.unavailableNativeTransportCause())).log();
        }
        this.context = vertx.getOrCreateContext();
        this.eventLoop = (SingleThreadEventLoop) ((ContextInternal) context).nettyEventLoop();
        this.journal = journal;
        this.dataPlane = dataPlane;
        this.services = services;
        this.scripts = Executors.newFixedThreadPool(SCRIPT_THREADS, daemon("lb-check"));
        this.notifications = Executors.newSingleThreadExecutor(daemon("lb-notify"));
        this.applier = Executors.newSingleThreadExecutor(daemon("lb-nft"));
        this.otherProbers = new CheckerProbers(vertx);
        this.clients = new CheckClients(vertx, context);
        this.sharing = new CheckSharing(config.loadBalancing().shareChecks());
        this.users = ScriptUsers.of(config.globalDefs(), new LocalScriptHost());
    }

    /**
     * Checks the configuration can run here, reads every FILE_CHECK's track_file once, programs the whole table
     * (adopting one a killed agent left) and starts the checks. Throws, with nothing applied, when a checker sets
     * what the agent does not apply yet, a DR virtual server has no interface, or nftables refuses the program.
     */
    public static LoadBalancer start(KeepalivedConfig config, BiConsumer<Cause, Event> journal, DataPlane dataPlane,
                                     PrometheusRegistry registry) throws NftablesException {
        List<Service> services = new ArrayList<>();
        for (VirtualServerConfig vs : config.loadBalancing().virtualServers()) {
            services.add(new Service(vs, drDevice(config, vs), addresses(config, vs)));
        }
        readNeighbours(services);
        LoadBalancer lb = new LoadBalancer(config, journal, dataPlane, services, registry);
        try {
            lb.buildReals(services, config, lb.sharing, List.of());
        } catch (RuntimeException e) {
            lb.abandonStart();
            throw e;
        }
        lb.awaitMacs(services);
        lb.built = NftProgramBuilder.Built.NONE.next(lb.plans());
        NftProgram program = lb.built.program();
        try {
            dataPlane.apply(program.fullTransaction());
        } catch (NftablesException e) {
            lb.abandonStart();
            throw e;
        }
        lb.appliedOnApplier = program;
        lb.families = program.tables().stream().map(NftProgram.Table::family).toList();
        lb.metrics.countersFrom(lb::statsNow);
        lb.generation = 1;
        lb.appliedGeneration = 1;
        lb.metrics.applied(1);
        for (Service service : services) {
            lb.metrics.quorum(service.config.name(), service.quorumUp);
            service.reals.forEach(r -> r.series.state(r.health.alive(), r.health.weight(r.config.weight())));
            journal.accept(service.poolCause, poolEvent(service, 1));
            service.journaledPool = service.pool;
            service.poolCause = Cause.NONE;
        }
        warnOfConntrack(config);
        lb.context.runOnContext(v -> services.forEach(lb::startChecks));
        lb.macTimer = lb.vertx.setPeriodic(MAC_RETRY.toMillis(), id -> lb.context.runOnContext(v -> lb.chaseMacs()));
        return lb;
    }

    // ---- checks ----

    /**
     * Warns when the TCP checks would hold over half of this namespace's conntrack table ({@link ConntrackBudget});
     * without conntrack loaded here (no /proc/sys/net/netfilter/nf_conntrack_max) they hold nothing.
     */
    private static void warnOfConntrack(KeepalivedConfig config) {
        try {
            ConntrackBudget.of(config.loadBalancing()).warning(netfilterSysctl("nf_conntrack_max"),
                            Duration.ofSeconds(netfilterSysctl("nf_conntrack_tcp_timeout_time_wait")),
                            Duration.ofSeconds(netfilterSysctl("nf_conntrack_tcp_timeout_close")))
                    .ifPresent(w -> log.atWarn().setMessage(w).log());
        } catch (IOException e) {
            log.atDebug().setMessage("conntrack's sysctls not read: the checks' conntrack entries are not counted")
                    .addKeyValue("reason", e.toString()).log();
        }
    }

    private static long netfilterSysctl(String name) throws IOException {
        return Sysctl.read(Path.of("/proc/sys/net/netfilter", name));
    }

    private List<Prober> probers(Service service, RealServerConfig real, CheckSharing sharing,
                                 KeepalivedConfig config) {
        List<Prober> probers = new ArrayList<>();
        for (CheckerConfig checker : real.checkers()) {
            CheckKind kind = checker.kind();
            if (checker.target().bindPort().isPresent() || checker.target().bindInterface().isPresent()
                    || checker.target().fwmark().isPresent()) {
                probers.forEach(Prober::close);
                throw new IllegalArgumentException(checker.position() + ": bind_port, bind_if and fwmark of a "
                        + kind.keyword() + " are read but not applied yet; remove them (bindto and connect_ip work)");
            }
            Optional<Prober> shared = sharing.existing(service.config, checker);
            if (shared.isPresent()) {
                probers.add(shared.get());
            } else if (kind instanceof CheckKind.Tcp) {
                probers.add(new TcpProber(clients, checker));
            } else if (kind instanceof CheckKind.Http) {
                probers.add(new HttpProber(clients, checker, service.config.virtualhost()));
            } else if (kind instanceof CheckKind.Misc) {
                probers.add(new MiscProber(checker, users, scripts));
            } else if (kind instanceof CheckKind.Agent) {
                probers.add(new AgentProber(vertx, clients.tcp(checker), checker));
            } else if (kind instanceof CheckKind.File file) {
                VrrpTrackFile trackFile = config.trackFiles().get(file.trackFile());
                if (trackFile == null) {
                    probers.forEach(Prober::close);
                    throw new IllegalArgumentException(checker.position() + ": FILE_CHECK names track_file `"
                            + file.trackFile() + "`, which no track_file block defines; define it at the top level");
                }
                probers.add(new FileProber(vertx, FileCheck.of(file, trackFile)));
            } else {
                Optional<Prober> other;
                try {
                    other = otherProbers.create(checker);
                } catch (RuntimeException e) {
                    probers.forEach(Prober::close);
                    throw e;
                }
                if (other.isEmpty()) {
                    probers.forEach(Prober::close);
                    throw new IllegalArgumentException(checker.position() + ": " + kind.keyword() + " is read but "
                            + "the agent has no prober for it; replace it with a MISC_CHECK");
                }
                probers.add(other.get());
            }
            sharing.register(service.config, checker, probers.get(probers.size() - 1),
                    new CheckSharing.Sharer(service, real, probers.size() - 1));
        }
        return probers;
    }

    /**
     * Builds the real servers' probers and first pools of {@code services}. A real server whose block is as it runs
     * under the same virtual server in {@code previous} keeps its health (verdicts, counters, last result), and a
     * virtual server found there keeps its quorum state and its pool as journaled, so a reload changes nothing the
     * new configuration does not. Throws, closing the probers it made, when a checker cannot run.
     */
    private void buildReals(List<Service> building, KeepalivedConfig with, CheckSharing checks,
                            List<Service> previous) {
        Set<Prober> made = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            for (Service service : building) {
                Optional<Service> before = previous.stream()
                        .filter(p -> p.config.name().equals(service.config.name())).findFirst();
                for (RealServerConfig real : service.config.realServers()) {
                    List<Prober> probers = probers(service, real, checks, with);
                    made.addAll(probers);
                    Real r = new Real(real, probers, metrics.realServer(service.config.name(), real.endpoint(),
                            real.checkers().stream().map(c -> c.kind().keyword()).toList()));
                    service.reals.add(r);
                    Optional<Real> kept = before.flatMap(b -> b.reals.stream()
                            .filter(o -> ReloadPlan.same(o.config, real)).findFirst());
                    if (kept.isPresent()) {
                        r.health = kept.get().health;
                        r.last = kept.get().last;
                        r.lastCheckEpochMillis = kept.get().lastCheckEpochMillis;
                    } else {
                        readFilesOnce(service, r);
                    }
                }
                if (before.isPresent()) {
                    service.quorumUp = before.get().quorumUp;
                    service.pool = before.get().pool;
                    service.journaledPool = before.get().journaledPool;
                } else {
                    service.quorumUp = PoolFold.initialQuorum(service.config, service.states());
                    service.pool = PoolFold.fold(service.config, service.states(), service.quorumUp).pool();
                }
            }
        } catch (RuntimeException e) {
            made.forEach(Prober::close);
            throw e;
        }
    }

    /** A reload's virtual servers, built and checked, not running yet: {@link #apply} or {@link #discard} it. */
    public static final class Reload {
        private final KeepalivedConfig config;
        private final List<Service> services;
        private final CheckSharing sharing;

        private Reload(KeepalivedConfig config, List<Service> services, CheckSharing sharing) {
            this.config = config;
            this.services = services;
            this.sharing = sharing;
        }
    }

    /**
     * The first half of a reload, off the context: builds every virtual server of {@code next} with its probers,
     * the health of unchanged real servers carried over. Throws {@link IllegalArgumentException}, with nothing
     * changed, when a checker cannot run or a DR virtual server has no interface.
     */
    public Reload prepare(KeepalivedConfig next) {
        List<Service> building = new ArrayList<>();
        for (VirtualServerConfig vs : next.loadBalancing().virtualServers()) {
            building.add(new Service(vs, drDevice(next, vs), addresses(next, vs)));
        }
        readNeighbours(building);
        awaitMacs(building);
        CheckSharing checks = new CheckSharing(next.loadBalancing().shareChecks());
        Promise<Void> built = Promise.promise();
        context.runOnContext(v -> {
            try {
                buildReals(building, next, checks, services);
                built.complete();
            } catch (RuntimeException e) {
                built.fail(e);
            }
        });
        try {
            built.future().toCompletionStage().toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new Reload(next, building, checks);
    }

    /** A prepared reload that will not be applied: its probers close. */
    public void discard(Reload reload) {
        context.runOnContext(v -> closeProbers(reload.services));
    }

    /**
     * The second half of a reload: the old virtual servers' checks stop, the new ones take their place, quorum
     * changes are journaled, and the whole new program goes to nftables as one transaction (the diff against what
     * is applied, so unchanged virtual servers' rules are not rewritten). Then the checks start.
     */
    public void apply(Reload reload, Cause cause) {
        Promise<Void> applied = Promise.promise();
        context.runOnContext(v -> {
            List<Service> retiring = services;
            retiring.forEach(s -> s.retired = true);
            closeProbers(retiring);
            services = reload.services;
            config = reload.config;
            sharing = reload.sharing;
            services.forEach(service -> fold(service, cause));
            // A real server whose health the reload kept may see no change for as long as it stays healthy, and
            // record() sets the gauges only on a change: its new series shows the state now, as a start does.
            services.forEach(s -> s.reals.forEach(r -> r.series.state(r.health.alive(),
                    r.health.weight(r.config.weight()))));
            reprogram();
            services.forEach(this::startChecks);
            applied.complete();
        });
        applied.future().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static void closeProbers(List<Service> closing) {
        Set<Prober> all = Collections.newSetFromMap(new IdentityHashMap<>());
        closing.forEach(s -> s.reals.forEach(r -> all.addAll(r.probers)));
        all.forEach(Prober::close);
    }

    /**
     * keepalived reads every track_file before it builds a pool, so a FILE_CHECK's value decides the first pool:
     * a real server whose file says down never enters it. A verdict this changes is journaled like any other.
     */
    private void readFilesOnce(Service service, Real real) {
        for (int i = 0; i < real.probers.size(); i++) {
            if (real.probers.get(i) instanceof FileProber file) {
                record(service, real, i, file.read());
            }
        }
    }

    private void startChecks(Service service) {
        for (Real real : service.reals) {
            for (int i = 0; i < real.probers.size(); i++) {
                Prober prober = real.probers.get(i);
                if (!sharing.runs(prober, new CheckSharing.Sharer(service, real.config, i))) {
                    continue;
                }
                List<Receiver> receivers = sharing.others(prober).stream().map(other -> {
                    Service s = (Service) other.service();
                    return new Receiver(s, s.realOf(other.real()), other.checker());
                }).toList();
                CheckRules rules = real.health.rules().get(i);
                Booking booking = new Booking(service, real, i, prober, receivers, real.series.counts(i),
                        new Recorded(false, Cause.NONE, rules.delayLoopNanos()));
                schedule(booking, rules.firstProbeDelayNanos(ThreadLocalRandom.current().nextLong()));
            }
        }
    }

    /** On the context (the wake-up timer set there fires there). */
    private void schedule(Booking booking, long delayNanos) {
        long now = System.nanoTime();
        book(booking, now + Math.max(0, delayNanos), now);
    }

    /** The next probe after one that started at {@code startedNanos}, in the cadence {@link ProbeCadence} keeps. */
    private void scheduleAfter(Booking booking, long startedNanos, long delayNanos) {
        long now = System.nanoTime();
        book(booking, ProbeCadence.nextDueNanos(startedNanos, now, delayNanos), now);
    }

    private void book(Booking booking, long dueNanos, long nowNanos) {
        if (stopped) {
            return;
        }
        booking.dueNanos = dueNanos;
        calendar.book(dueNanos, booking);
        // Nearly every result books a probe a delay_loop away, after the wake-up already set: that timer stays.
        if (wakeTimer < 0 || dueNanos - wakeAtNanos < 0) {
            armWake(nowNanos);
        }
    }

    /** Sets the one wake-up timer for the earliest booking, unless one is set for then or sooner already. */
    private void armWake(long now) {
        OptionalLong next = calendar.nextWakeNanos(now);
        if (next.isEmpty() || (wakeTimer >= 0 && wakeAtNanos - next.getAsLong() <= 0)) {
            return;
        }
        if (wakeTimer >= 0) {
            vertx.cancelTimer(wakeTimer);
        }
        wakeAtNanos = next.getAsLong();
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wakeAtNanos - now + 999_999));
        wakeTimer = vertx.setTimer(millis, id -> wake());
    }

    private void wake() {
        wakeTimer = -1;
        runDue();
    }

    /**
     * Takes the results the TCP probe loop posted since the last wake-up, then starts one batch of what is due: the
     * probe loop calls for its results itself only when no wake-up came for them in time ({@link ResultHandOver}), so
     * in a steady stream each cycle wakes each thread once. Results first, so the probe thread, woken by the
     * submissions, finds its posted results taken and waits for the next submissions, not for a call of its own. When
     * more is due, the next batch runs right after the loop's next pass over its ready sockets, not on a timer: a
     * wait of 2 ms per batch of {@link ProbeCalendar#MAX_PER_WAKE}, stretched by a busy machine's scheduling, capped
     * the checks at a few thousand a second.
     */
    private void runDue() {
        if (stopped) {
            return;
        }
        clients.collectResults();
        for (Booking due : calendar.takeDue(System.nanoTime())) {
            probe(due);
        }
        if (calendar.hasDue(System.nanoTime())) {
            if (!batchQueued) {
                batchQueued = true;
                eventLoop.executeAfterEventLoopIteration(() -> {
                    batchQueued = false;
                    runDue();
                });
            }
        } else {
            armWake(System.nanoTime());
        }
    }

    private void probe(Booking due) {
        Service service = due.service;
        if (stopped || service.retired) {
            return;
        }
        if (service.config.haSuspend() && !service.addressLocal()) {
            service.suspended = true;
            schedule(due, due.real.health.rules().get(due.checker).delayLoopNanos());
            return;
        }
        service.suspended = false;
        if (probesInFlight >= MAX_PROBES_IN_FLIGHT) {
            metrics.probeQueued();
            waitingProbes.add(() -> probe(due));
            return;
        }
        probesInFlight++;
        long startedNanos = System.nanoTime();
        metrics.probeStarted(startedNanos - due.dueNanos);
        due.prober.probe(result -> onContext(due, startedNanos, result));
    }

    /**
     * Vert.x clients and the TCP probe loop complete on the context already, and the result is taken at once, with
     * no task made for it; scripts and file reads complete on worker threads.
     */
    private void onContext(Booking due, long startedNanos, ProbeResult result) {
        if (Vertx.currentContext() == context) {
            onResult(due, startedNanos, result);
        } else {
            context.runOnContext(v -> onResult(due, startedNanos, result));
        }
    }

    private void onResult(Booking due, long startedNanos, ProbeResult result) {
        probesInFlight--;
        Runnable next = waitingProbes.poll();
        if (next != null) {
            next.run();
        }
        Service service = due.service;
        if (stopped || service.retired) {
            return;
        }
        long delay;
        if (due.steady && result.plainSuccess()) {
            delay = settle(service, due.real, result, recordSteady(due, result));
        } else {
            delay = apply(service, due.real, due.checker, result);
            due.steady = due.real.health.steady(due.checker);
        }
        for (int i = 0; i < due.receivers.size(); i++) {
            Receiver other = due.receivers.get(i);
            apply(other.service(), other.real(), other.checker(), result);
        }
        scheduleAfter(due, startedNanos, delay);
    }

    /** One result applied to one real server of one virtual server; returns the delay until the next probe. */
    private long apply(Service service, Real real, int checker, ProbeResult result) {
        return settle(service, real, result, record(service, real, checker, result));
    }

    /**
     * What follows a result once recorded: DR's neighbour reads and the pool; returns the delay until the next probe.
     */
    private long settle(Service service, Real real, ProbeResult result, Recorded recorded) {
        boolean macsMoved = false;
        if (service.device.isPresent() && neighbourReads.shouldRead(System.nanoTime(),
                result.success() && !service.macs.containsKey(real.config.address()))) {
            for (Service moved : readNeighbours(services)) {
                if (moved == service) {
                    macsMoved = true;
                } else {
                    refold(moved, Cause.NONE, true);
                }
            }
        }
        if (recorded.changed() || macsMoved) {
            refold(service, recorded.cause(), macsMoved);
        }
        return recorded.delayNanos();
    }

    /**
     * One checker of one real server that runs its probes, with what it needs per probe and per result at hand
     * rather than looked up: in the calendar once at a time (booked again only from its own result, or from a probe
     * that ha_suspend skips), so one object serves every booking instead of one per result.
     */
    private static final class Booking {
        final Service service;
        final Real real;
        final int checker;
        final Prober prober;
        /** The other virtual servers' real servers that take this check's results (lb_share_checks). */
        final List<Receiver> receivers;
        final LbMetrics.CheckCounts counts;
        /** What a plain success to a steady checker records: no change, delay_loop. */
        final Recorded steadyRecorded;
        /**
         * The checker's state is {@link RealServerHealth#steady steady}, as the core said after the last result that
         * was not a plain success to it; only this check's results change that state.
         */
        boolean steady;
        /** When the probe now booked is due, on the {@code System.nanoTime} scale. */
        long dueNanos;

        Booking(Service service, Real real, int checker, Prober prober, List<Receiver> receivers,
                LbMetrics.CheckCounts counts, Recorded steadyRecorded) {
            this.service = service;
            this.real = real;
            this.checker = checker;
            this.prober = prober;
            this.receivers = receivers;
            this.counts = counts;
            this.steadyRecorded = steadyRecorded;
        }
    }

    /** A checker of a real server that takes the results of a check another virtual server's real server runs. */
    private record Receiver(Service service, Real real, int checker) {
    }

    /** What one result did: the cause to journal the pool change with, if it changed anything. */
    private record Recorded(boolean changed, Cause cause, long delayNanos) {
    }

    /**
     * A plain success to a steady checker: what {@link #record} does when the core gives the health back unchanged,
     * without reading the health (at 10,000 real servers its objects are cold in the cache, a second after their
     * last result).
     */
    private static Recorded recordSteady(Booking due, ProbeResult result) {
        due.real.last = result;
        due.real.lastCheckEpochMillis = System.currentTimeMillis();
        due.counts.count(true);
        return due.steadyRecorded;
    }

    /**
     * One result into the checker core, its verdict change journaled with the evidence. A change of weight alone
     * (misc_dynamic, FILE_CHECK) has no event of its own: its cause names the result, the value read among it, and
     * the new weight, and the pool change it leads to is journaled with that cause.
     */
    private Recorded record(Service service, Real real, int checker, ProbeResult result) {
        real.last = result;
        real.lastCheckEpochMillis = System.currentTimeMillis();
        RealServerHealth before = real.health;
        RealServerHealth.Step step = before.next(checker, result);
        real.series.check(checker, result.success());
        if (step.health() == before) {
            // Nothing moved (RealServerHealth.next says so by identity): neither alive() nor the weight, so the
            // gauges already show them, and their checkers' states need not be read again.
            return new Recorded(false, Cause.NONE, step.delayNanos());
        }
        int weightBefore = before.weight(real.config.weight());
        real.health = step.health();
        int weightAfter = real.health.weight(real.config.weight());
        real.series.state(real.health.alive(), weightAfter);
        boolean reweighed = step.transition().isEmpty() && weightBefore != weightAfter;
        if (step.transition().isEmpty() && !reweighed) {
            return new Recorded(false, Cause.NONE, step.delayNanos());
        }
        String checkerName = real.config.checkers().get(checker).kind().keyword();
        Cause cause = reweighed
                ? Cause.health(checkerName + " " + real.config.endpoint() + ": " + result.detail(), weightAfter)
                : Cause.health(checkerName + " " + real.config.endpoint(), real.config.weight());
        step.transition().ifPresent(t -> {
            Event.CheckEvidence evidence = new Event.CheckEvidence(checkerName, t.cause().evidence().detail(),
                    t.cause().evidence().statusCode().orElse(-1), t.cause().evidence().exitCode().orElse(-1),
                    t.cause().evidence().latency().toNanos() / 1000, t.cause().consecutive());
            journal.accept(cause, t.alive()
                    ? new Event.RealServerUp(service.config.name(), real.config.endpoint(), evidence)
                    : new Event.RealServerDown(service.config.name(), real.config.endpoint(), evidence));
            (t.alive() ? real.config.notifyUp() : real.config.notifyDown()).ifPresent(this::notifyScript);
        });
        service.poolCause = cause;
        return new Recorded(true, cause, step.delayNanos());
    }

    // ---- DR neighbours ----

    private static Optional<NeighbourResolver> openResolver() {
        try {
            return Optional.of(NeighbourResolver.open());
        } catch (IOException e) {
            log.atWarn().setMessage("cannot ask the kernel to resolve DR real servers' MACs; they are learned from "
                    + "the checks' own traffic").addKeyValue("error", e.getMessage()).log();
            return Optional.empty();
        }
    }

    /**
     * Before the first program, and before a reload's: asks for every DR real server of {@code among} its MAC and
     * waits (at most {@link #MAC_WAIT}) until the neighbour table has them, so the hash starts with every member
     * instead of gaining one when its first check runs — which would move the flows already on the others, on every
     * director differently.
     */
    private void awaitMacs(List<Service> among) {
        long deadline = System.nanoTime() + MAC_WAIT.toNanos();
        requestMissingMacs(among);
        while (among.stream().anyMatch(s -> !s.missingMacs().isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            readNeighbours(among);
        }
        among.forEach(s -> {
            if (!s.missingMacs().isEmpty()) {
                log.atWarn().setMessage("DR real servers without a MAC yet: left out of the program until the "
                        + "neighbour table has them").addKeyValue("virtual_server", s.config.name())
                        .addKeyValue("real_servers", s.missingMacs().stream().map(InetAddress::getHostAddress).toList()).log();
            }
        });
    }

    /**
     * Every {@link #MAC_RETRY}: asks again for missing MACs, and programs the ones that arrived and any that changed
     * (when no check result has read the table for {@link NeighbourReads#PERIOD}, as with long delay_loops).
     */
    private void chaseMacs() {
        if (stopped) {
            return;
        }
        requestMissingMacs(services);
        boolean wanted = services.stream().anyMatch(s -> !s.missingMacs().isEmpty());
        if (neighbourReads.shouldRead(System.nanoTime(), wanted)) {
            readNeighbours(services).forEach(moved -> refold(moved, Cause.NONE, true));
        }
    }

    /**
     * One read of the neighbour table for every DR virtual server of {@code among}, which each follow from it;
     * returns those whose MACs appeared, changed or went away.
     */
    private static List<Service> readNeighbours(List<Service> among) {
        if (among.stream().noneMatch(s -> s.device.isPresent())) {
            return List.of();
        }
        Map<InetAddress, String> table = Neighbours.arpTable(PROC_NET_ARP);
        return among.stream().filter(s -> s.device.isPresent() && s.refreshMacs(table)).toList();
    }

    /**
     * The resolver, opened now if {@code among} has a DR virtual server and none is open yet: a DR virtual server
     * that a reload adds to an agent that started without one needs it as much as one configured at start.
     */
    private synchronized Optional<NeighbourResolver> resolverFor(List<Service> among) {
        if (resolver.isEmpty() && !stopped && among.stream().anyMatch(s -> s.device.isPresent())) {
            resolver = openResolver();
        }
        return resolver;
    }

    private void requestMissingMacs(List<Service> among) {
        resolverFor(among).ifPresent(r -> among.forEach(service -> service.device.ifPresent(device -> {
            for (InetAddress address : service.missingMacs()) {
                try {
                    r.resolve(device, address);
                } catch (IOException e) {
                    log.atWarn().setMessage("could not ask the kernel to resolve a DR real server's MAC")
                            .addKeyValue("real_server", address.getHostAddress()).addKeyValue("device", device)
                            .addKeyValue("error", e.getMessage()).log();
                }
            }
        })));
    }

    // ---- pool and program ----

    private void refold(Service service, Cause cause, boolean reprogramAnyway) {
        if (fold(service, cause) || reprogramAnyway) {
            reprogram();
        }
    }

    /** Folds the pool again, journaling quorum and sorry-server changes; true when the pool changed. */
    private boolean fold(Service service, Cause cause) {
        PoolFold.Decision decision = PoolFold.fold(service.config, service.states(), service.quorumUp);
        String name = service.config.name();
        decision.quorumChange().ifPresent(change -> {
            long live = decision.pool().liveWeight();
            journal.accept(cause, change == PoolFold.QuorumChange.LOST
                    ? new Event.VirtualServerQuorumLost(name, live, decision.threshold())
                    : new Event.VirtualServerQuorumGained(name, live, decision.threshold()));
            (change == PoolFold.QuorumChange.LOST ? service.config.quorumDown() : service.config.quorumUp())
                    .ifPresent(this::notifyScript);
        });
        decision.sorryServing(service.pool).ifPresent(in -> {
            String sorry = service.config.sorryServer().map(RealServerConfig::endpoint).orElse("");
            journal.accept(cause, in ? new Event.SorryServerIn(name, sorry) : new Event.SorryServerOut(name, sorry));
        });
        service.quorumUp = decision.pool().quorumUp();
        metrics.quorum(name, service.quorumUp);
        boolean changed = !decision.pool().equals(service.pool);
        service.pool = decision.pool();
        return changed;
    }

    /**
     * Builds and applies the program once for every change made until the context gets to it: building it is linear
     * in the real servers, so building it per verdict change was quadratic when many changed at once (at 10,000 real
     * servers a wave of timeouts kept the checks' loop building programs, which made more checks time out).
     */
    private void reprogram() {
        if (reprogramQueued) {
            return;
        }
        reprogramQueued = true;
        context.runOnContext(v -> {
            reprogramQueued = false;
            if (!stopped) {
                reprogramNow();
            }
        });
    }

    private void reprogramNow() {
        built = built.next(plans());
        NftProgram next = built.program();
        families = next.tables().stream().map(NftProgram.Table::family).toList();
        long gen = ++generation;
        applier.execute(() -> {
            String error = apply(next);
            context.runOnContext(v -> afterApply(gen, error));
        });
    }

    /**
     * On the applier thread: the element changes when a change is only that (a pool change), else the diff, or the
     * whole program when either is refused or the state is unknown.
     */
    private String apply(NftProgram next) {
        try {
            if (appliedOnApplier == null) {
                dataPlane.apply(next.fullTransaction());
            } else {
                Optional<List<ElementChange>> elements = NftProgram.elementChanges(appliedOnApplier, next);
                if (elements.isPresent()) {
                    if (!elements.get().isEmpty()) {
                        dataPlane.applyElements(elements.get());
                    }
                } else {
                    Optional<String> diff = NftProgram.diff(appliedOnApplier, next);
                    if (diff.isPresent()) {
                        dataPlane.apply(diff.get());
                    }
                }
            }
            appliedOnApplier = next;
            return "";
        } catch (NftablesException diffRefused) {
            try {
                dataPlane.apply(next.fullTransaction());
                appliedOnApplier = next;
                return "";
            } catch (NftablesException e) {
                appliedOnApplier = null;
                return e.getMessage() + (e.errorText() == null ? "" : ": " + e.errorText().strip());
            }
        }
    }

    private void afterApply(long gen, String error) {
        if (!error.isEmpty()) {
            lastApplyError = error;
            metrics.applyFailed();
            log.atError().setMessage("nftables refused the load-balancing program; the next change retries it whole")
                    .addKeyValue("generation", gen).addKeyValue("error", error).log();
            return;
        }
        lastApplyError = "";
        appliedGeneration = gen;
        metrics.applied(gen);
        for (Service service : services) {
            if (!service.pool.equals(service.journaledPool)) {
                journal.accept(service.poolCause, poolEvent(service, gen));
                service.journaledPool = service.pool;
                service.poolCause = Cause.NONE;
            }
        }
    }

    private static Event.PoolChanged poolEvent(Service service, long gen) {
        return new Event.PoolChanged(service.config.name(), gen, service.pool.members().stream()
                .map(m -> new Event.PoolMemberEntry(m.endpoint(), m.weight(), m.sorry())).toList());
    }

    private List<ServicePlan> plans() {
        List<ServicePlan> plans = new ArrayList<>();
        for (Service service : services) {
            Optional<DrPath> dr = service.device.map(device -> new DrPath(device,
                    Neighbours.interfaceMac(device).orElse("00:00:00:00:00:00"), service.macs));
            plans.add(ServicePlan.of(service.config, config.loadBalancing().groups(), service.pool, dr, false));
        }
        return plans;
    }

    private void notifyScript(NotifyScript script) {
        String command = script.command();
        try {
            notifications.execute(() -> {
                ScriptProcess.Outcome outcome = ScriptProcess.run(command, users.runAs(script.runAs()),
                        NOTIFY_TIMEOUT);
                log.atInfo().setMessage("load-balancing notify script ran").addKeyValue("script", command)
                        .addKeyValue("exit", outcome.exitCode()).addKeyValue("timed_out", outcome.timedOut()).log();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.atWarn().setMessage("notify script not run: stopping").addKeyValue("script", command).log();
        }
    }

    // ---- status and stop ----

    /**
     * The operator's view: the counters read on the applier thread (the one that talks to the kernel, in order
     * with the transactions), the rest taken on the load balancer's context.
     */
    public Future<List<VirtualServerStatus>> status() {
        Promise<List<VirtualServerStatus>> promise = Promise.promise();
        try {
            applier.execute(() -> {
                Counters counters = readCounters();
                context.runOnContext(v -> promise.complete(services.stream().map(s -> status(s, counters)).toList()));
            });
        } catch (RejectedExecutionException e) {
            Counters none = new Counters(Map.of(), "the load balancer is stopping");
            context.runOnContext(v -> promise.complete(services.stream().map(s -> status(s, none)).toList()));
        }
        return promise.future();
    }

    /** The named counters of every owned table by name, or why they could not be read. */
    private record Counters(Map<String, LvsStats.Counter> named, String error) {
    }

    private Counters readCounters() {
        Map<String, LvsStats.Counter> named = new HashMap<>();
        for (String family : families) {
            try {
                named.putAll(dataPlane.counters(family));
            } catch (IOException e) {
                return new Counters(Map.of(), "cannot read the counters of table " + family + " "
                        + NftProgram.TABLE + ": " + e.getMessage());
            }
        }
        return new Counters(named, "");
    }

    /**
     * Every virtual server's figures now, read on the calling thread (a Prometheus scrape): none when the tables
     * cannot be read, which the status shows with its reason.
     */
    private List<LvsStats.ServiceStats> statsNow() {
        Counters counters = readCounters();
        if (!counters.error().isEmpty()) {
            return List.of();
        }
        return services.stream().map(s -> LvsStats.of(s.config, counters.named())).toList();
    }

    private VirtualServerStatus status(Service s, Counters counters) {
        LvsStats.ServiceStats stats = LvsStats.of(s.config, counters.named());
        List<VirtualServerStatus.RealServerStatus> reals = new ArrayList<>();
        // What nftables has, not what the checks decided: the two differ until the applier's transaction is done,
        // and a client that reads "out of the pool" must not see a new connection go there afterwards.
        List<PoolMember> serving = s.journaledPool == null ? List.of() : s.journaledPool.serving();
        for (Real real : s.reals) {
            boolean inPool = serving.stream().anyMatch(m -> m.address().equals(real.config.address())
                    && m.port() == real.config.port() && !m.sorry());
            reals.add(new VirtualServerStatus.RealServerStatus(real.config.address().getHostAddress(),
                    real.config.port(), real.health.weight(real.config.weight()), real.health.alive() ? "up" : "down",
                    inPool, real.last == null ? "" : real.last.detail(),
                    real.last == null ? 0 : real.last.latency().toNanos() / 1e6, real.lastCheckEpochMillis,
                    real.config.checkers().stream().map(c -> c.kind().keyword()).toList(),
                    VirtualServerStatus.Stats.of(stats.realServer(real.config.endpoint()))));
        }
        boolean sorryServing = serving.stream().anyMatch(PoolMember::sorry);
        return new VirtualServerStatus(s.config.name(), s.config.scheduler().keepalivedName(),
                s.config.scheduler().choice().keepalivedName(), s.config.method().name(), s.quorumUp,
                s.pool.liveWeight(), sorryServing, appliedGeneration, s.suspended,
                VirtualServerStatus.Stats.of(stats.service()), counters.error(), reals);
    }

    /** The last error nftables gave, empty when the current program is applied. */
    public String lastApplyError() {
        return lastApplyError;
    }

    /**
     * Stops the checks and removes the agent's tables (keepalived too clears its virtual servers on a stop). With
     * {@code omega}, a virtual server's notify_down scripts run for its live real servers and quorum_down if it had
     * quorum, as keepalived does on shutdown; they get {@link #OMEGA_GRACE} to finish.
     */
    public void stop() {
        stopped = true;
        if (macTimer >= 0) {
            vertx.cancelTimer(macTimer);
        }
        metrics.stopCounters();
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> {
            closeProbers(services);
            clients.close();
            for (Service service : services) {
                if (service.config.omega()) {
                    service.reals.stream().filter(r -> r.health.alive())
                            .forEach(r -> r.config.notifyDown().ifPresent(this::notifyScript));
                    if (service.quorumUp) {
                        service.config.quorumDown().ifPresent(this::notifyScript);
                    }
                }
            }
            closed.complete();
        });
        closed.future().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        applier.execute(() -> {
            try {
                dataPlane.apply(NftProgram.removeAll());
            } catch (NftablesException e) {
                log.atError().setMessage("could not remove the load-balancing tables").setCause(e).log();
            }
        });
        shutDownThreads();
        try {
            applier.awaitTermination(5, TimeUnit.SECONDS);
            notifications.awaitTermination(OMEGA_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dataPlane.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }

    /** A start that throws leaves no thread behind. */
    private void abandonStart() {
        clients.close();
        shutDownThreads();
        vertx.close();
    }

    private void shutDownThreads() {
        synchronized (this) {
            resolver.ifPresent(NeighbourResolver::close);
            resolver = Optional.empty();
        }
        otherProbers.close();
        scripts.shutdownNow();
        notifications.shutdown();
        applier.shutdown();
    }

    // ---- configuration helpers ----

    /** DR forwards from the ingress hook of the interface the virtual address lives on (its vrrp_instance's). */
    static Optional<String> drDevice(KeepalivedConfig config, VirtualServerConfig vs) {
        if (vs.method() != ForwardingMethod.DR) {
            return Optional.empty();
        }
        List<InetAddress> addresses = addresses(config, vs);
        if (addresses.stream().anyMatch(a -> a instanceof java.net.Inet6Address)) {
            throw new IllegalArgumentException(vs.position() + ": virtual_server " + vs.name() + " uses lb_kind DR "
                    + "over IPv6, whose real servers' MACs the agent does not read yet (it reads /proc/net/arp); use "
                    + "lb_kind NAT for IPv6");
        }
        for (VrrpInstanceConfig instance : config.vrrpInstances()) {
            for (VirtualIpAddress vip : instance.virtualIpAddresses()) {
                if (addresses.contains(vip.address())) {
                    return Optional.of(vip.device().orElse(instance.interfaceName()));
                }
            }
        }
        throw new IllegalArgumentException(vs.position() + ": virtual_server " + vs.name() + " uses lb_kind DR but "
                + "no vrrp_instance holds its address, so there is no interface to forward from; add the address to"
                + " a virtual_ipaddress block");
    }

    /** The virtual addresses a virtual server matches (none for a fwmark). */
    static List<InetAddress> addresses(KeepalivedConfig config, VirtualServerConfig vs) {
        return vs.service() instanceof VirtualService.Endpoint e ? List.of(e.address())
                : vs.service() instanceof VirtualService.Group g ? config.loadBalancing().groups().get(g.name())
                .addresses() : List.of();
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "qvip-" + prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One virtual server's running state. */
    private static final class Service {
        final VirtualServerConfig config;
        final Optional<String> device;
        final List<InetAddress> addresses;
        final List<Real> reals = new ArrayList<>();
        Map<InetAddress, String> macs = Map.of();
        boolean quorumUp;
        boolean suspended;
        /** A reload replaced this virtual server: its pending probes and results are dropped. */
        boolean retired;
        Pool pool;
        Pool journaledPool;
        /** The cause of the latest check result that changed this pool, journaled with the pool it led to. */
        Cause poolCause = Cause.NONE;

        Service(VirtualServerConfig config, Optional<String> device, List<InetAddress> addresses) {
            this.config = config;
            this.device = device;
            this.addresses = addresses;
        }

        /** The running state of one of this virtual server's real servers. */
        Real realOf(RealServerConfig real) {
            return reals.stream().filter(r -> r.config == real).findFirst().orElseThrow();
        }

        List<RealServerState> states() {
            return reals.stream().map(r -> new RealServerState(r.config, r.health.alive(),
                    r.health.weight(r.config.weight()))).toList();
        }

        /** Follows the real servers' MACs in {@code table}; true when one appeared, changed or went away. */
        boolean refreshMacs(Map<InetAddress, String> table) {
            Map<InetAddress, String> next = Neighbours.follow(macs, table, realAddresses());
            if (next.equals(macs)) {
                return false;
            }
            next.forEach((address, mac) -> {
                if (!mac.equals(macs.get(address))) {
                    log.atInfo().setMessage(macs.containsKey(address) ? "DR real server's MAC changed: reprogramming"
                                    : "DR real server's MAC learned: programming it")
                            .addKeyValue("virtual_server", config.name())
                            .addKeyValue("real_server", address.getHostAddress()).addKeyValue("mac", mac).log();
                }
            });
            macs = next;
            return true;
        }

        /** DR real servers the program must leave out for want of a MAC. */
        List<InetAddress> missingMacs() {
            return device.isEmpty() ? List.of()
                    : realAddresses().stream().filter(a -> !macs.containsKey(a)).toList();
        }

        private List<InetAddress> realAddresses() {
            return java.util.stream.Stream.concat(config.realServers().stream(), config.sorryServer().stream())
                    .map(RealServerConfig::address).distinct().toList();
        }

        /** ha_suspend: some virtual address is on this director (always true for a fwmark, which has none). */
        boolean addressLocal() {
            if (addresses.isEmpty()) {
                return true;
            }
            for (InetAddress address : addresses) {
                try {
                    if (NetworkInterface.getByInetAddress(address) != null) {
                        return true;
                    }
                } catch (SocketException e) {
                    return false;
                }
            }
            return false;
        }
    }

    /** One real server of one virtual server: its checks and their state. */
    private static final class Real {
        final RealServerConfig config;
        final List<Prober> probers;
        final LbMetrics.RealServerSeries series;
        RealServerHealth health;
        ProbeResult last;
        long lastCheckEpochMillis;

        Real(RealServerConfig config, List<Prober> probers, LbMetrics.RealServerSeries series) {
            this.config = config;
            this.probers = probers;
            this.series = series;
            this.health = RealServerHealth.initial(config.checkers().stream().map(FileCheck::rules).toList());
        }
    }
}
