package io.quorumvip.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A network-namespace lab for one test: nodes n1..nN and a client on a bridge, built and torn down by
 * scripts/lab.sh. Closing it (or the JVM exiting, through a shutdown hook) stops every process it started, keeps
 * their logs under {@code target/lab-logs/<name>/} and removes every namespace.
 *
 * <pre>{@code
 * try (Lab lab = Lab.up(2)) {
 *     LabProcess keepalived = lab.node(1).startKeepalived(lab.keepalivedSample("pair-node1.conf"));
 *     awaitCondition("n1 holds the VIP", Duration.ofSeconds(10), () -> lab.vipHolders(VIP), Set.of("n1")::equals);
 * }
 * }</pre>
 */
public final class Lab implements AutoCloseable {

    /** The tickTime of the lab's ZooKeeper servers unless {@link #up(int, int, Duration)} says otherwise. */
    public static final Duration DEFAULT_ZK_TICK = Duration.ofMillis(200);

    public static final Path STATE_ROOT = Path.of("/run/qvip-lab");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern ARPING_REPLY = Pattern.compile("from ((?:[0-9a-f]{2}:){5}[0-9a-f]{2}) \\(");
    private static final Path LOG_ARCHIVE = Path.of("target", "lab-logs");

    private final String name;
    private final RepositoryLayout layout;
    private final List<LabHost> nodes = new ArrayList<>();
    private final List<LabZooKeeper> zkServers = new ArrayList<>();
    private final List<LabRealServer> realServers = new ArrayList<>();
    private LabRealServer sorryServer;
    private String drVip;
    private final List<LabProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private LabHost client;
    private LabCoordinator coordinator;
    private String switchNamespace;

    private Lab(String name, RepositoryLayout layout) {
        this.name = name;
        this.layout = layout;
        this.shutdownHook = new Thread(this::tearDown, "lab-" + name + "-cleanup");
    }

    /** Builds a lab with {@code nodes} nodes (1-9), a client and no ZooKeeper, under a fresh name like {@code qvt1a2b}. */
    public static Lab up(int nodes) {
        return up(nodes, 0);
    }

    /**
     * Builds a lab with {@code nodes} nodes (1-9), a client and {@code zkServers} ZooKeeper servers (0-3) that
     * already serve when this returns.
     */
    public static Lab up(int nodes, int zkServers) {
        return up(nodes, zkServers, List.of());
    }

    /**
     * The same plus the coordinator (host coord, 192.0.2.30:9120, see {@link #coordinator()}), run from this JVM's
     * test classpath, with a random token per node in {@code <node state dir>/token}.
     */
    public static Lab upWithCoordinator(int nodes, int zkServers) {
        return up(nodes, zkServers, List.of("--coordinator", "--coordinator-classpath", LabCoordinator.classpath()));
    }

    /**
     * A load-balancing lab (DESIGN.md §8): {@code directors} nodes, a client, no ZooKeeper, and {@code realServers}
     * real servers rs1.. (1-9) plus the sorry server, each running nginx. {@link Forwarding#DR}: real servers at
     * 192.0.2.51.. on the nodes' bridge with {@link #drVip()} on lo; {@link Forwarding#NAT}: real servers at
     * 198.51.100.51.. on a second bridge with their default route via 198.51.100.1, and every node has eth1 at
     * 198.51.100.1I with IPv4 forwarding on.
     */
    public static Lab upWithRealServers(int directors, int realServers, Forwarding forwarding) {
        return upWithRealServers(directors, realServers, forwarding, 0);
    }

    /** The same with {@code zkServers} ZooKeeper servers (0-3), for directors that own with a lease. */
    public static Lab upWithRealServers(int directors, int realServers, Forwarding forwarding, int zkServers) {
        List<String> extra = new ArrayList<>(List.of("--real-servers", Integer.toString(realServers)));
        if (forwarding == Forwarding.NAT) {
            extra.add("--backend");
        }
        return up(directors, zkServers, extra);
    }

    /** How a load-balancing lab's real servers are reached (see {@link #upWithRealServers}). */
    public enum Forwarding {
        /** Direct routing: real servers share the directors' network and hold the VIP on lo. */
        DR,
        /** NAT: real servers on the backend network 198.51.100.0/24, routed back through a director. */
        NAT
    }

    /**
     * The same plus an SMTP server (host smtp, 192.0.2.25:25) that keeps every mail it receives as a file in
     * {@link #smtpMaildir()}{@code /new}.
     */
    public static Lab upWithSmtp(int nodes, int zkServers) {
        return up(nodes, zkServers, List.of("--smtp"));
    }

    /** The same with a ZooKeeper tickTime other than {@link #DEFAULT_ZK_TICK} (lab.sh up --zk-tick, 100-3000 ms). */
    public static Lab up(int nodes, int zkServers, Duration zkTick) {
        return up(nodes, zkServers, List.of("--zk-tick", Long.toString(zkTick.toMillis())));
    }

    /** The same with IPv6 on every host's eth0: link-local, and 2001:db8::X/64 for 192.0.2.X (lab.sh up --ipv6). */
    public static Lab upWithIpv6(int nodes) {
        return up(nodes, 0, List.of("--ipv6"));
    }

    private static Lab up(int nodes, int zkServers, List<String> extra) {
        Lab lab = new Lab(freshName(), RepositoryLayout.locate());
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            List<String> args = new ArrayList<>(List.of("--nodes", Integer.toString(nodes), "--zk",
                    Integer.toString(zkServers)));
            args.addAll(extra);
            lab.labScript("up", args.toArray(String[]::new));
            lab.readHosts();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** /run/qvip-lab/NAME: configs, logs and pid files of this lab. */
    public Path stateDir() {
        return STATE_ROOT.resolve(name);
    }

    /** Where the lab's SMTP server (see {@link #upWithSmtp}) writes the mails it receives, one file each in new/. */
    public Path smtpMaildir() {
        return stateDir().resolve("smtp").resolve("maildir");
    }

    public RepositoryLayout layout() {
        return layout;
    }

    /** A file of shared/keepalived-samples, e.g. {@code pair-node1.conf}. */
    public Path keepalivedSample(String fileName) {
        return layout.keepalivedSample(fileName);
    }

    /** Node {@code index}, counting from 1 like the host names n1, n2, ... */
    public LabHost node(int index) {
        if (index < 1 || index > nodes.size()) {
            throw new IllegalArgumentException("node index got " + index + " (expected 1-" + nodes.size() + ")");
        }
        return nodes.get(index - 1);
    }

    public List<LabHost> nodes() {
        return List.copyOf(nodes);
    }

    public LabHost client() {
        return client;
    }

    /** ZooKeeper server {@code index}, counting from 1 like zk1, zk2, zk3. */
    public LabZooKeeper zk(int index) {
        if (index < 1 || index > zkServers.size()) {
            throw new IllegalArgumentException("zk index got " + index + " (expected 1-" + zkServers.size()
                    + "; start the lab with Lab.up(nodes, zkServers))");
        }
        return zkServers.get(index - 1);
    }

    public List<LabZooKeeper> zkServers() {
        return List.copyOf(zkServers);
    }

    /** {@code 192.0.2.21:2181,192.0.2.22:2181,...}: reachable from the lab's nodes, not from the host. */
    public String zkConnectString() {
        return String.join(",", zkServers.stream().map(LabZooKeeper::connectAddress).toList());
    }

    /** The server that says it leads the ensemble right now, if any. */
    public Optional<LabZooKeeper> zkLeader() {
        return zkServers.stream().filter(zk -> zk.mode().filter("leader"::equals).isPresent()).findFirst();
    }

    /** The coordinator of a lab built with {@link #upWithCoordinator}. */
    public LabCoordinator coordinator() {
        if (coordinator == null) {
            throw new IllegalStateException("lab " + name + " has no coordinator (build it with Lab.upWithCoordinator)");
        }
        return coordinator;
    }

    /** Real server {@code index}, counting from 1 like rs1, rs2, ... */
    public LabRealServer realServer(int index) {
        if (index < 1 || index > realServers.size()) {
            throw new IllegalArgumentException("real server index got " + index + " (expected 1-" + realServers.size()
                    + "; start the lab with Lab.upWithRealServers)");
        }
        return realServers.get(index - 1);
    }

    public List<LabRealServer> realServers() {
        return List.copyOf(realServers);
    }

    /** The sorry server (.60) of a lab built with {@link #upWithRealServers}; it answers {@code sorry}. */
    public LabRealServer sorryServer() {
        if (sorryServer == null) {
            throw new IllegalStateException("lab " + name + " has no real servers (build it with Lab.upWithRealServers)");
        }
        return sorryServer;
    }

    /** The VIP the DR real servers hold on lo (192.0.2.210, the lvs-dr samples' VIP); empty for NAT. */
    public Optional<String> drVip() {
        return Optional.ofNullable(drVip);
    }

    String switchNamespace() {
        return switchNamespace;
    }

    /** Names of the nodes whose kernel has {@code vip} on eth0 right now (ground truth, not the daemons' word). */
    public Set<String> vipHolders(String vip) {
        Set<String> holders = new TreeSet<>();
        for (LabHost node : nodes) {
            if (node.holds(vip)) {
                holders.add(node.name());
            }
        }
        return holders;
    }

    /**
     * The MAC the client's kernel sends {@code vip} traffic to: it pings once (resolving the address if it has no
     * entry yet), then reads its neighbour table. Empty when the address does not resolve.
     */
    public Optional<String> arpMac(String vip) {
        client.exec("ping", "-c", "1", "-W", "1", vip);
        JsonNode entries = json(HostCommand.run("ip", "-n", client.namespace(), "-j", "neigh", "show", vip,
                "dev", "eth0").requireSuccess().stdout());
        for (JsonNode entry : entries) {
            String state = entry.path("state").toString();
            if (entry.hasNonNull("lladdr") && !state.contains("FAILED") && !state.contains("INCOMPLETE")) {
                return Optional.of(entry.get("lladdr").asText());
            }
        }
        return Optional.empty();
    }

    /** Every MAC that answers one ARP request for {@code vip} from the client: two of them is a split brain. */
    public Set<String> arpReplies(String vip) {
        CommandResult arping = client.exec("arping", "-c", "1", "-w", "1", "-i", "eth0", vip);
        Set<String> macs = new TreeSet<>();
        Matcher reply = ARPING_REPLY.matcher(arping.stdout());
        while (reply.find()) {
            macs.add(reply.group(1));
        }
        return macs;
    }

    /**
     * The switch port the bridge forwards frames for {@code mac} to right now, learned from the last frame it saw
     * from that MAC; a node's port is named like its namespace ({@link LabHost#namespace()}).
     */
    public Optional<String> bridgePort(String mac) {
        JsonNode entries = json(HostCommand.run("bridge", "-n", switchNamespace, "-j", "fdb", "show")
                .requireSuccess().stdout());
        for (JsonNode entry : entries) {
            if (mac.equalsIgnoreCase(entry.path("mac").asText()) && entry.hasNonNull("master")) {
                return Optional.of(entry.path("ifname").asText());
            }
        }
        return Optional.empty();
    }

    /** {@code lab.sh status}: the lab as JSON (nodes, daemons, VRRP states, VIPs). */
    public JsonNode status() {
        return json(labScript("status").stdout());
    }

    /** Stops every process this lab started, archives the logs, removes the lab. Safe to call twice. */
    @Override
    public void close() {
        tearDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself; tearDown is idempotent.
        }
    }

    LabProcess track(LabProcess process) {
        processes.add(process);
        return process;
    }

    CommandResult labScript(String command, String... args) {
        List<String> full = new ArrayList<>(List.of(layout.labScript().toString(), command, "--name", name));
        full.addAll(List.of(args));
        return HostCommand.run(SCRIPT_TIMEOUT, full).requireSuccess();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not valid JSON: " + e.getOriginalMessage() + " in: " + text, e);
        }
    }

    private void readHosts() {
        JsonNode status = status();
        switchNamespace = status.path("switch").asText();
        for (JsonNode node : status.path("nodes")) {
            nodes.add(new LabHost(this, node.path("node").asText(), node.path("namespace").asText(),
                    node.path("address").asText()));
        }
        for (JsonNode zk : status.path("zookeeper")) {
            String server = zk.path("server").asText();
            LabProcess process = track(new LabProcess(server, zk.path("pid").asLong(),
                    stateDir().resolve(server).resolve("zookeeper.log")));
            zkServers.add(new LabZooKeeper(this, Integer.parseInt(server.substring(2)), zk.path("namespace").asText(),
                    zk.path("address").asText(), process));
        }
        JsonNode coord = status.path("coordinator");
        if (coord.isObject()) {
            Path dir = stateDir().resolve("coord");
            LabProcess process = track(new LabProcess("coordinator", coord.path("pid").asLong(),
                    dir.resolve("coordinator.log")));
            coordinator = new LabCoordinator(this, coord.path("namespace").asText(), coord.path("url").asText(), dir,
                    process);
        }
        readRealServers(status);
        JsonNode clientJson = status.path("client");
        client = new LabHost(this, "client", clientJson.path("namespace").asText(), clientJson.path("address").asText());
    }

    private void readRealServers(JsonNode status) {
        List<JsonNode> servers = new ArrayList<>();
        status.path("real_servers").forEach(servers::add);
        if (status.path("sorry_server").isObject()) {
            servers.add(status.path("sorry_server"));
        }
        for (JsonNode server : servers) {
            String serverName = server.path("name").asText();
            LabProcess nginx = track(new LabProcess("nginx on " + serverName, server.path("pid").asLong(),
                    stateDir().resolve(serverName).resolve("nginx.log")));
            LabRealServer realServer = new LabRealServer(this, new LabHost(this, serverName,
                    server.path("namespace").asText(), server.path("address").asText()), nginx);
            if (serverName.equals("sorry")) {
                sorryServer = realServer;
            } else {
                realServers.add(realServer);
            }
        }
        drVip = status.path("dr_vip").isTextual() ? status.path("dr_vip").asText() : null;
    }

    private void tearDown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = null;
        List<LabProcess> started;
        synchronized (processes) {
            started = new ArrayList<>(processes);
        }
        Collections.reverse(started);
        for (LabProcess process : started) {
            try {
                process.stop();
            } catch (RuntimeException e) {
                failure = addTo(failure, e);
            }
        }
        try {
            archiveLogs();
        } catch (UncheckedIOException e) {
            failure = addTo(failure, e);
        }
        try {
            // Also kills anything still running in the lab's namespaces, then removes them.
            labScript("down");
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** The state dir disappears with the lab; its logs are what explains a failed test, so they are kept. */
    private void archiveLogs() {
        Path source = stateDir();
        if (!Files.isDirectory(source)) {
            return;
        }
        Path target = LOG_ARCHIVE.resolve(name).toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive the logs of lab " + name + " from " + source + " to "
                    + target, e);
        }
    }

    private static String freshName() {
        while (true) {
            String candidate = String.format("qvt%04x", ThreadLocalRandom.current().nextInt(0x10000));
            boolean taken = Files.exists(STATE_ROOT.resolve(candidate)) || Files.exists(Path.of("/run/netns",
                    candidate + "-sw"));
            if (!taken) {
                return candidate;
            }
        }
    }
}
