package io.quorumvip.lab;

import java.nio.file.Path;

/**
 * The lab's coordinator (host {@code coord}, 192.0.2.30:9120), run from the test's own classpath, so the calling
 * module needs qvip-coordinator on its test classpath. Kill it and start it again as often as a test needs; the
 * lab stops it and keeps its log.
 */
public final class LabCoordinator {

    private final Lab lab;
    private final String namespace;
    private final String url;
    private final Path dir;
    private volatile LabProcess process;

    LabCoordinator(Lab lab, String namespace, String url, Path dir, LabProcess process) {
        this.lab = lab;
        this.namespace = namespace;
        this.url = url;
        this.dir = dir;
        this.process = process;
    }

    static String classpath() {
        return JavaMain.of("io.quorumvip.coordinator.CoordinatorMain").classpath();
    }

    public String namespace() {
        return namespace;
    }

    /** {@code http://192.0.2.30:9120}: reachable from the lab's hosts, not from the host. */
    public String url() {
        return url;
    }

    public LabProcess process() {
        return process;
    }

    /** Where the coordinator keeps node {@code node}'s copy of the journal (a journal directory). */
    public Path archive(String node) {
        return dir.resolve("data").resolve("nodes").resolve(node);
    }

    /** The file holding {@code host}'s token: use it as {@code token_file} in the host's config. */
    public Path tokenFile(LabHost host) {
        return host.stateDir().resolve("token");
    }

    /** Starts it again (after a kill) on the same data and tokens, through {@code lab.sh start --coordinator}. */
    public LabProcess restart() {
        String pid = lab.labScript("start", "--coordinator", "--coordinator-classpath", classpath()).stdout().strip();
        process = lab.track(new LabProcess("coordinator", Long.parseLong(pid), dir.resolve("coordinator.log")));
        return process;
    }
}
