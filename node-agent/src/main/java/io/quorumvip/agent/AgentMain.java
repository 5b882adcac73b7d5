package io.quorumvip.agent;

import io.quorumvip.agent.alert.MailAlerter;
import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.http.StatusServer;
import io.quorumvip.agent.capture.CaptureSettings;
import io.quorumvip.agent.capture.WireCapture;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.lb.DataPlane;
import io.quorumvip.agent.lb.LoadBalancer;
import io.quorumvip.agent.lease.QuorumClient;
import io.quorumvip.agent.ship.Shipping;
import io.quorumvip.agent.track.FileTracker;
import io.quorumvip.config.ConfigFiles;
import io.quorumvip.config.CoordinatorConfig;
import io.quorumvip.config.Finding;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.ParseOptions;
import io.quorumvip.config.ParseResult;
import io.quorumvip.config.QuorumConfig;
import io.quorumvip.config.Severity;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.events.Hash256;
import io.quorumvip.script.LocalScriptHost;
import io.quorumvip.script.ScriptAudit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qvip agent --config FILE}: runs every vrrp_instance of a keepalived.conf until SIGTERM or SIGINT, then stops
 * gracefully (addresses dropped, priority-0 adverts sent, notify_stop run). Exit 0 after a clean stop, 1 when the
 * agent failed while running, 2 for bad usage or a config that does not parse.
 */
@Command(name = "qvip agent", mixinStandardHelpOptions = true,
        description = "Run the quorum-vip node agent for a keepalived.conf (plus an optional quorum { } block).")
public final class AgentMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "keepalived.conf to run")
    Path config;

    @Option(names = "--http", defaultValue = "127.0.0.1:9110", paramLabel = "HOST:PORT",
            description = "where /v1/status and /metrics listen (default ${DEFAULT-VALUE})")
    String http;

    @Option(names = "--journal", paramLabel = "DIR",
            description = "where this node's journal of transitions lives (default /var/lib/quorum-vip/journal/NODE-ID)")
    Path journalDir;

    @Option(names = "--capture", paramLabel = "DIR",
            description = "where this node's rolling capture of VRRP, ARP and neighbour adverts goes, for qvip "
                    + "forensics --captures (default: beside the journal, JOURNAL-capture)")
    Path captureDir;

    @Option(names = "--no-capture", description = "capture nothing")
    boolean noCapture;

    @Option(names = "--capture-retain-mb", paramLabel = "MB", defaultValue = "256",
            description = "the most capture files of one interface may hold together (default ${DEFAULT-VALUE})")
    long captureRetainMegabytes;

    @Option(names = "--capture-retain-days", paramLabel = "DAYS", defaultValue = "7",
            description = "how long captured frames are kept (default ${DEFAULT-VALUE})")
    long captureRetainDays;

    @Option(names = {"-i", "--config-id"}, paramLabel = "ID",
            description = "keepalived's config id for @ID lines (default: the host name up to its first dot)")
    String configId;

    @Option(names = "--node-id", paramLabel = "ID",
            description = "this node's name in status, logs and journals (default: global_defs router_id, else the host name)")
    String nodeId;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentMain()).setExitCodeExceptionMapper(e -> 2).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        // The JVM's default for SIGHUP is to stop. A reload asked while the agent starts (systemctl reload right after
        // start) is kept instead, and applied once the agent has started.
        AtomicBoolean reloadAsked = new AtomicBoolean();
        SignalHandler inherited = Signal.handle(new Signal("HUP"), signal -> {
            reloadAsked.set(true);
            log.atWarn().setMessage("SIGHUP while starting: the reload runs once the agent has started").log();
        });
        if (inherited == SignalHandler.SIG_IGN) {
            // The JVM leaves an inherited SIG_IGN in place and never calls a handler for it.
            log.atWarn().setMessage("SIGHUP is ignored by this process (started under nohup, or by a parent that"
                    + " ignores it): reload by SIGHUP will not work; start the agent without nohup, as the"
                    + " systemd unit does").log();
        }
        int colon = http.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("qvip agent: --http " + http + " is not HOST:PORT (e.g. 127.0.0.1:9110)");
            return 2;
        }
        String httpHost = http.substring(0, colon);
        int httpPort;
        try {
            httpPort = Integer.parseInt(http.substring(colon + 1));
        } catch (NumberFormatException e) {
            System.err.println("qvip agent: --http port " + http.substring(colon + 1) + " is not a number");
            return 2;
        }

        ParseResult parsed;
        ParseOptions options = new ParseOptions(
                configId != null ? Optional.of(configId) : ParseOptions.hostConfigId(), ConfigFiles.local());
        try {
            parsed = KeepalivedConfigParser.parse(config, options);
        } catch (IOException e) {
            System.err.println("qvip agent: cannot read " + config + ": " + e.getMessage());
            return 2;
        }
        boolean errors = false;
        List<Finding> findings = new ArrayList<>(parsed.findings());
        findings.addAll(ScriptAudit.findings(parsed.config(), new LocalScriptHost()));
        for (Finding finding : findings) {
            System.err.println(finding.format());
            errors |= finding.severity() == Severity.ERROR;
        }
        if (errors) {
            System.err.println("qvip agent: " + config + " has errors; nothing started (run `qvip lint` for details)");
            return 2;
        }
        KeepalivedConfig keepalived = parsed.config();
        if (keepalived.vrrpInstances().isEmpty()) {
            System.err.println("qvip agent: " + config + " has no vrrp_instance; nothing to run");
            return 2;
        }
        String node = nodeId != null ? nodeId
                : keepalived.globalDefs().routerId().orElse(InetAddress.getLocalHost().getHostName());

        if (journalDir == null) {
            journalDir = Path.of("/var/lib/quorum-vip/journal", node);
        }
        Optional<String> coordinatorToken;
        try {
            coordinatorToken = coordinatorToken(keepalived);
        } catch (IOException e) {
            System.err.println("qvip agent: " + e.getMessage());
            return 2;
        }
        AgentMetrics metrics = new AgentMetrics();
        AgentJournal journal;
        try {
            journal = AgentJournal.open(journalDir, node, metrics);
        } catch (IOException | RuntimeException e) {
            System.err.println("qvip agent: cannot open the journal in " + journalDir + ": " + e.getMessage()
                    + " (choose another directory with --journal, or repair it: qvip replay --verify " + journalDir
                    + ")");
            return 2;
        }
        Optional<MailAlerter> mail = MailAlerter.start(keepalived, node, InetAddress.getLocalHost().getHostName(),
                metrics);
        mail.ifPresent(alerter -> journal.observe(alerter::onRecord));
        journal.record(new Cause(CauseKind.STARTUP, node, ProcessHandle.current().pid()),
                new Event.AgentStarted(version()));
        journal.record(new Cause(CauseKind.CONFIG, config.toString(), 0),
                new Event.ConfigLoaded(config.toString(), sha256(config)));

        keepalived.trackFiles().values().forEach(FileTracker::writeInitValue);
        // No class-path file resolving: the agent serves no files, and its cache directory (/tmp/vertx-cache-*) is
        // left behind by every agent that is killed rather than stopped.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4)
                .setInternalBlockingPoolSize(2).setFileSystemOptions(new FileSystemOptions()
                        .setClassPathResolvingEnabled(false).setFileCachingEnabled(false)));
        Optional<QuorumClient> quorum = keepalived.quorum().map(QuorumClient::start);
        Optional<WireCapture> capture;
        try {
            capture = startCapture(keepalived, node);
        } catch (IllegalArgumentException e) {
            System.err.println("qvip agent: " + e.getMessage());
            quorum.ifPresent(QuorumClient::close);
            journal.close();
            vertx.close();
            return 2;
        }
        Agent agent;
        try {
            agent = Agent.start(keepalived, node, vertx, metrics, journal, quorum);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("qvip agent: " + e.getMessage());
            quorum.ifPresent(QuorumClient::close);
            journal.record(new Cause(CauseKind.STARTUP, "failed", 0), new Event.AgentStopped(e.getMessage()));
            mail.ifPresent(MailAlerter::close);
            journal.close();
            vertx.close();
            return 2;
        }
        AtomicReference<LoadBalancer> balancer = new AtomicReference<>();
        ConfigReloader.BalancerStarter balancerStarter = next -> LoadBalancer.start(next, journal::record,
                DataPlane.libnftables(), metrics.registry());
        try {
            if (!keepalived.loadBalancing().virtualServers().isEmpty()) {
                balancer.set(balancerStarter.start(keepalived));
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("qvip agent: load balancing cannot start: " + e.getMessage());
            agent.stop(Duration.ofSeconds(5));
            journal.record(new Cause(CauseKind.STARTUP, "failed", 0), new Event.AgentStopped(e.getMessage()));
            journal.close();
            vertx.close();
            return 2;
        }
        journal.retainPeriodically(vertx, Duration.ofHours(1));
        Optional<Shipping> shipping = keepalived.coordinator().map(c -> startShipping(c,
                coordinatorToken.orElseThrow(), node, journal, metrics));
        if (quorum.isEmpty()) {
            log.atWarn().setMessage("no quorum { } block: VRRP alone decides who owns the addresses, as in"
                    + " keepalived; a broken heartbeat path can make two nodes own them").addKeyValue("node", node).log();
        } else {
            QuorumConfig q = keepalived.quorum().get();
            log.atInfo().setMessage("quorum lease on: an address is owned only with VRRP MASTER and a lease provably"
                    + " valid").addKeyValue("zookeeper", q.connectString()).addKeyValue("path", q.path())
                    .addKeyValue("session_timeout_ms", q.sessionTimeout().toMillis())
                    .addKeyValue("zk_tick_time_ms", q.tickTime().toMillis()).log();
        }
        StatusServer server = new StatusServer(vertx, () -> agent.status()
                .compose(status -> Optional.ofNullable(balancer.get())
                        .map(l -> l.status().map(status::withVirtualServers))
                        .orElse(Future.succeededFuture(status)))
                .map(status -> shipping.map(s -> status.withShipping(s.status())).orElse(status)), metrics);
        try {
            server.listen(httpHost, httpPort).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("qvip agent: cannot listen on " + http + ": " + e.getMessage());
            shipping.ifPresent(Shipping::close);
            Optional.ofNullable(balancer.get()).ifPresent(LoadBalancer::stop);
            agent.stop(Duration.ofSeconds(5));
            journal.record(new Cause(CauseKind.STARTUP, "failed", 0), new Event.AgentStopped("cannot listen on " + http));
            mail.ifPresent(MailAlerter::close);
            journal.close();
            vertx.close();
            return 2;
        }
        log.atInfo().setMessage("agent started").addKeyValue("node", node).addKeyValue("config", config)
                .addKeyValue("instances", keepalived.vrrpInstances().size()).addKeyValue("http", http).log();

        ConfigReloader reloader = new ConfigReloader(config, options, keepalived, journal, agent, balancer,
                balancerStarter);
        Signal.handle(new Signal("HUP"), signal -> reloader.reload());
        if (reloadAsked.get()) {
            reloader.reload();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.atInfo().setMessage("stopping").addKeyValue("node", node).log();
            reloader.close();
            Optional.ofNullable(balancer.get()).ifPresent(LoadBalancer::stop);
            agent.stop(Duration.ofSeconds(10));
            capture.ifPresent(WireCapture::close);
            journal.record(new Cause(CauseKind.SHUTDOWN, "signal", 0), new Event.AgentStopped("stopped by signal"));
            mail.ifPresent(MailAlerter::close);
            journal.close();
            shipping.ifPresent(Shipping::close);
            server.close();
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            log.atInfo().setMessage("agent stopped").addKeyValue("node", node).log();
            stopped.countDown();
        }, "qvip-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * The capture of every VRRP interface, started before the instances so that their first adverts and
     * announcements are in it. Bad bounds stop the start; a capture that cannot run does not.
     */
    private Optional<WireCapture> startCapture(KeepalivedConfig keepalived, String node) {
        if (noCapture) {
            return Optional.empty();
        }
        if (captureRetainMegabytes < 1 || captureRetainDays < 1) {
            throw new IllegalArgumentException("--capture-retain-mb " + captureRetainMegabytes
                    + " and --capture-retain-days " + captureRetainDays + " (expected both >= 1; --no-capture turns "
                    + "capture off)");
        }
        Path dir = captureDir != null ? captureDir
                : journalDir.resolveSibling(journalDir.getFileName() + "-capture");
        List<String> devices = keepalived.vrrpInstances().stream().map(VrrpInstanceConfig::interfaceName).distinct()
                .toList();
        return Optional.of(WireCapture.start(node, devices, CaptureSettings.of(dir, captureRetainMegabytes << 20,
                Duration.ofDays(captureRetainDays))));
    }

    /** Read before anything starts, so a missing token file stops the start with its path. */
    private static Optional<String> coordinatorToken(KeepalivedConfig keepalived) throws IOException {
        if (keepalived.coordinator().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Shipping.token(keepalived.coordinator().get().token()));
    }

    private static Shipping startShipping(CoordinatorConfig coordinator, String token, String node, AgentJournal journal,
            AgentMetrics metrics) {
        log.atInfo().setMessage("shipping the journal to the coordinators").addKeyValue("node", node)
                .addKeyValue("coordinators", coordinator.urls()).log();
        return Shipping.start(coordinator, token, node, journal.dir(), journal::lastDurableSeq, metrics);
    }

    private static String version() {
        String version = AgentMain.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static Hash256 sha256(Path file) throws IOException {
        return ConfigReloader.sha256(Files.readAllBytes(file));
    }
}
