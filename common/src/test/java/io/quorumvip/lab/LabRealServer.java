package io.quorumvip.lab;

/**
 * A real server of the load-balancing lab (rs1..rs9, or the sorry server): a namespace running Debian's nginx with
 * a config of its own under the lab's state dir, answering every path with its name ({@code rs1\n}), so the client
 * can tell who served it. Stopped and killed by PID; {@link #start()} runs nginx again.
 */
public final class LabRealServer {

    public static final int PORT = 80;

    private final Lab lab;
    private final LabHost host;
    private volatile LabProcess nginx;

    LabRealServer(Lab lab, LabHost host, LabProcess nginx) {
        this.lab = lab;
        this.host = host;
        this.nginx = nginx;
    }

    /** rs1..rs9, or sorry: also what it answers. */
    public String name() {
        return host.name();
    }

    /** 192.0.2.5I (DR) or 198.51.100.5I (NAT, the backend network); .60 for the sorry server. */
    public String address() {
        return host.address();
    }

    /** Its namespace, eth0's MAC (which a DR director rewrites frames to), commands inside it. */
    public LabHost host() {
        return host;
    }

    /** nginx's master process now (a new one after {@link #start()}). */
    public LabProcess nginx() {
        return nginx;
    }

    public boolean isAlive() {
        return nginx.isAlive();
    }

    /** SIGTERM to nginx and its workers (SIGKILL after the grace period): "stop httpd on one real server". */
    public void stop() {
        nginx.stop();
    }

    /** SIGKILL to the master and its workers at once: the real server crashes. */
    public void kill9() {
        nginx.freezeAndKill();
    }

    /** Runs nginx again after a stop or kill, through {@code lab.sh start --real-server NAME}; it answers on return. */
    public void start() {
        String pid = lab.labScript("start", "--real-server", name()).stdout().strip();
        nginx = lab.track(new LabProcess("nginx on " + name(), Long.parseLong(pid),
                lab.stateDir().resolve(name()).resolve("nginx.log")));
    }

    @Override
    public String toString() {
        return host + " " + nginx;
    }
}
