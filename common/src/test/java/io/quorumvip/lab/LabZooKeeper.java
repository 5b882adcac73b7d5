package io.quorumvip.lab;

import java.util.List;
import java.util.Optional;

/**
 * One ZooKeeper server of the lab (zk1..zk3 at 192.0.2.21-23, client port 2181), a real QuorumPeerMain in its own
 * namespace. Stopped and killed by PID; {@link #start()} runs it again with the same config and data.
 */
public final class LabZooKeeper {

    public static final int CLIENT_PORT = 2181;

    private final Lab lab;
    private final int id;
    private final String namespace;
    private final String address;
    private volatile LabProcess process;

    LabZooKeeper(Lab lab, int id, String namespace, String address, LabProcess process) {
        this.lab = lab;
        this.id = id;
        this.namespace = namespace;
        this.address = address;
        this.process = process;
    }

    public int id() {
        return id;
    }

    /** zk1, zk2, zk3. */
    public String name() {
        return "zk" + id;
    }

    public String namespace() {
        return namespace;
    }

    public String address() {
        return address;
    }

    /** {@code 192.0.2.2I:2181}. */
    public String connectAddress() {
        return address + ":" + CLIENT_PORT;
    }

    /** The server's current process (a new one after {@link #start()}). */
    public LabProcess process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, SIGKILL after the grace period. */
    public void stop() {
        process.stop();
    }

    /** SIGKILL: a crash, the server says goodbye to nobody. */
    public void kill9() {
        process.kill9();
    }

    /** Runs the server again after a stop or kill, through {@code lab.sh start --zk-server I}. */
    public void start() {
        String pid = lab.labScript("start", "--zk-server", Integer.toString(id)).stdout().strip();
        process = lab.track(new LabProcess(name(), Long.parseLong(pid),
                lab.stateDir().resolve(name()).resolve("zookeeper.log")));
    }

    /**
     * Cuts this server off from {@code peers} (nftables in its namespace drops every packet from or to them) while
     * its clients still reach it: a leader cut off this way keeps answering them until it notices it has lost its
     * quorum. The lab's teardown removes the namespace and the rule with it.
     */
    public void cutOffFrom(List<LabZooKeeper> peers) {
        String addresses = String.join(", ", peers.stream().map(LabZooKeeper::address).toList());
        String script = "table ip qvip_fault_peers {\n"
                + "    chain input { type filter hook input priority 0; policy accept; ip saddr { " + addresses
                + " } drop; }\n"
                + "    chain output { type filter hook output priority 0; policy accept; ip daddr { " + addresses
                + " } drop; }\n"
                + "}\n";
        HostCommand.run(HostCommand.DEFAULT_TIMEOUT, script, List.of("ip", "netns", "exec", namespace, "nft", "-f", "-"))
                .requireSuccess();
    }

    /** leader, follower or standalone, from the four-letter word {@code srvr}; empty while it does not serve. */
    public Optional<String> mode() {
        if (!isAlive()) {
            return Optional.empty();
        }
        CommandResult srvr = HostCommand.run(HostCommand.DEFAULT_TIMEOUT, List.of("ip", "netns", "exec", namespace, "timeout", "2", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + CLIENT_PORT + " && printf srvr >&3 && cat <&3"));
        return srvr.stdout().lines().filter(line -> line.startsWith("Mode: "))
                .map(line -> line.substring("Mode: ".length()).strip()).findFirst();
    }

    @Override
    public String toString() {
        return name() + " (" + namespace + ", " + address + ", " + process + ")";
    }
}
