package io.quorumvip.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** One host of the lab (a node or the client): a network namespace with eth0 on the lab's bridge. */
public final class LabHost {

    /** Drops VRRP (IP protocol 112) in both directions; replacing the table first makes it idempotent. */
    private static final String BLOCK_VRRP = """
            add table ip qvip_fault_vrrp
            delete table ip qvip_fault_vrrp
            table ip qvip_fault_vrrp {
                chain input { type filter hook input priority 0; policy accept; ip protocol 112 drop; }
                chain output { type filter hook output priority 0; policy accept; ip protocol 112 drop; }
            }
            """;
    private static final String UNBLOCK_VRRP = """
            add table ip qvip_fault_vrrp
            delete table ip qvip_fault_vrrp
            """;

    /** Drops ZooKeeper client traffic (tcp 2181) to and from this host; replacing the table makes it idempotent. */
    private static final String BLOCK_ZOOKEEPER = """
            add table ip qvip_fault_zk
            delete table ip qvip_fault_zk
            table ip qvip_fault_zk {
                chain input { type filter hook input priority 0; policy accept; tcp sport 2181 drop; }
                chain output { type filter hook output priority 0; policy accept; tcp dport 2181 drop; }
            }
            """;
    private static final String UNBLOCK_ZOOKEEPER = """
            add table ip qvip_fault_zk
            delete table ip qvip_fault_zk
            """;

    /** What {@link #httpAnswers} counts a failed request as. */
    public static final String FAILED = "FAILED";

    private final Lab lab;
    private final String name;
    private final String namespace;
    private final String address;

    LabHost(Lab lab, String name, String namespace, String address) {
        this.lab = lab;
        this.name = name;
        this.namespace = namespace;
        this.address = address;
    }

    /** n1, n2, ..., client, or a real server (rs1, ..., sorry). */
    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    /** The host's own address on eth0, e.g. 192.0.2.11. */
    public String address() {
        return address;
    }

    /** The MAC address of eth0, lower case with colons. */
    public String mac() {
        JsonNode links = Lab.json(HostCommand.run("ip", "-n", namespace, "-j", "link", "show", "dev", "eth0")
                .requireSuccess().stdout());
        return links.path(0).path("address").asText();
    }

    /** Every IPv4 address on eth0, as the kernel has them now. */
    public Set<String> ipv4Addresses() {
        JsonNode links = Lab.json(HostCommand.run("ip", "-n", namespace, "-j", "addr", "show", "dev", "eth0")
                .requireSuccess().stdout());
        Set<String> addresses = new TreeSet<>();
        for (JsonNode link : links) {
            for (JsonNode info : link.path("addr_info")) {
                if ("inet".equals(info.path("family").asText())) {
                    addresses.add(info.path("local").asText());
                }
            }
        }
        return addresses;
    }

    /** Whether this host's kernel has the address on eth0: the ground truth of VIP ownership. */
    public boolean holds(String vip) {
        return ipv4Addresses().contains(vip);
    }

    /** This host's directory in the lab's state dir: logs, configs, journals; removed with the lab. */
    public Path stateDir() {
        return lab.stateDir().resolve(name);
    }

    /** Runs a command inside this host's namespace and waits for it; the caller judges the exit code. */
    public CommandResult exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return HostCommand.run(HostCommand.DEFAULT_TIMEOUT, full);
    }

    /**
     * {@code connections} HTTP GETs of {@code url}, each on a new TCP connection (one curl each, 2 s limit), from
     * this host; counts the answers by body (a lab real server answers its name), failures under {@code FAILED}.
     */
    public Map<String, Integer> httpAnswers(String url, int connections) {
        String loop = "for i in $(seq " + connections + "); do curl -s --max-time 5 '" + url + "' || { rc=$?; echo "
                + FAILED + "; echo \"request $i: curl exit $rc at $(date +%T.%N)\" >&2; }; done";
        CommandResult result = HostCommand.run(Duration.ofSeconds(30 + 6L * connections),
                List.of("ip", "netns", "exec", namespace, "bash", "-c", loop)).requireSuccess();
        if (!result.stderr().isBlank()) {
            // curl's exit code says how a request failed (7 refused or unreachable, 28 timed out): the map cannot.
            System.out.printf("%s: %d requests to %s failed:%n%s", name, result.stderr().lines().count(), url,
                    result.stderr());
        }
        Map<String, Integer> answers = new TreeMap<>();
        result.stdout().lines().map(String::strip).forEach(answer -> answers.merge(answer, 1, Integer::sum));
        return answers;
    }

    public boolean canPing(String target) {
        return exec("ping", "-c", "1", "-W", "1", target).succeeded();
    }

    /**
     * Starts keepalived (VRRP only) on this host with the config as it is, through {@code lab.sh start}, so
     * {@code lab status} reports it too. One keepalived per host.
     */
    public LabProcess startKeepalived(Path config) {
        String pid = lab.labScript("start", "--node", name, "--keepalived-config", config.toString()).stdout().strip();
        Path dir = lab.stateDir().resolve(name);
        return lab.track(new LabProcess("keepalived on " + name, Long.parseLong(pid), dir.resolve("keepalived.log")));
    }

    /** Starts a Java main inside this host's namespace; output goes to {@code <state dir>/<host>/<logName>.log}. */
    public LabProcess startJava(String logName, JavaMain main) {
        return start(logName, main.command());
    }

    /** Starts any command inside this host's namespace, as its own session; output goes to the log file. */
    public LabProcess start(String logName, List<String> command) {
        Path log = lab.stateDir().resolve(name).resolve(logName + ".log");
        // SIGHUP back to its default: a test run under nohup (or a CI runner that ignores it) would hand its
        // SIG_IGN down, and a daemon that inherits an ignored SIGHUP cannot be reloaded by it.
        List<String> full = new ArrayList<>(List.of("setsid", "env", "--default-signal=HUP", "ip", "netns", "exec",
                namespace));
        full.addAll(command);
        try {
            // Not a process-group leader, so setsid execs in place (env too) and the PID is the command's own.
            Process process = new ProcessBuilder(full)
                    .redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
            return lab.track(new LabProcess(logName + " on " + name, process.pid(), log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
        }
    }

    /** Drops VRRP packets in and out of this host (nftables in its namespace), as a firewall mistake would. */
    public void blockVrrp() {
        nft(BLOCK_VRRP);
    }

    public void unblockVrrp() {
        nft(UNBLOCK_VRRP);
    }

    /**
     * Cuts this host off from ZooKeeper (nftables in its namespace drops tcp 2181 both ways) while everything else,
     * VRRP included, still flows: packets vanish, so the client notices only by its own timeouts.
     */
    public void blockZooKeeper() {
        nft(BLOCK_ZOOKEEPER);
    }

    public void unblockZooKeeper() {
        nft(UNBLOCK_ZOOKEEPER);
    }

    /** Pulls the cable: the switch side of this host's veth goes down, so eth0 loses carrier. */
    public void linkDown() {
        setSwitchPort("down");
    }

    public void linkUp() {
        setSwitchPort("up");
    }

    private void setSwitchPort(String state) {
        HostCommand.run("ip", "-n", lab.switchNamespace(), "link", "set", namespace, state).requireSuccess();
    }

    private void nft(String script) {
        List<String> command = List.of("ip", "netns", "exec", namespace, "nft", "-f", "-");
        HostCommand.run(Duration.ofSeconds(10), script, command).requireSuccess();
    }

    @Override
    public String toString() {
        return name + " (" + namespace + ", " + address + ")";
    }
}
