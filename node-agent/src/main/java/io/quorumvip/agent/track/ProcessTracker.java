package io.quorumvip.agent.track;

import io.quorumvip.config.VrrpTrackProcess;
import io.quorumvip.track.ProcessPattern;
import io.quorumvip.track.ProcessQuorum;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts one {@code vrrp_track_process}'s processes every poll interval on a worker thread and tells its listener,
 * on the event loop, whenever the quorum verdict (after fork_delay / terminate_delay) changes. keepalived is told of
 * forks and exits by the kernel's process connector; polling /proc once a second costs a directory scan and finds
 * the same processes, a second later at most. One tracker serves every instance.
 */
public final class ProcessTracker {

    private static final Logger log = LoggerFactory.getLogger(ProcessTracker.class);

    private final VrrpTrackProcess spec;
    private final ProcessPattern pattern;
    private final ProcTable table;
    private final Consumer<Boolean> onChange;
    private final WorkerPoll<Integer> poll;
    private ProcessQuorum verdict;

    public ProcessTracker(VrrpTrackProcess spec, Vertx vertx, long pollMillis, Consumer<Boolean> onChange) {
        this.spec = spec;
        this.pattern = pattern(spec);
        this.table = new ProcTable(Path.of("/proc"));
        this.onChange = onChange;
        this.poll = new WorkerPoll<>(vertx, pollMillis, this::count, this::onCount);
        this.verdict = ProcessQuorum.initial(count(), spec.quorum(), quorumMax());
    }

    /** The pattern keepalived matches: parameters (or param_match) make it look at the command line. */
    static ProcessPattern pattern(VrrpTrackProcess spec) {
        ProcessPattern.ParamMatch match = spec.paramMatch().map(m -> m.equals("initial")
                ? ProcessPattern.ParamMatch.INITIAL : ProcessPattern.ParamMatch.PARTIAL)
                .orElse(spec.parameters().isEmpty() ? ProcessPattern.ParamMatch.NONE : ProcessPattern.ParamMatch.EXACT);
        return new ProcessPattern(spec.process(), spec.parameters(), match, spec.fullCommand());
    }

    public boolean up() {
        return verdict.up();
    }

    public void start() {
        poll.start();
    }

    public void stop() {
        poll.stop();
    }

    private void onCount(int count) {
        boolean before = verdict.up();
        verdict = verdict.next(count, spec.quorum(), quorumMax(), spec.forkDelay().toNanos(),
                spec.terminateDelay().toNanos(), System.nanoTime());
        if (verdict.up() != before) {
            log.atInfo().setMessage(verdict.up() ? "tracked process quorum reached" : "tracked process quorum lost")
                    .addKeyValue("track_process", spec.name()).addKeyValue("count", count).log();
            onChange.accept(verdict.up());
        }
    }

    private int quorumMax() {
        return spec.quorumMax().orElse(ProcessQuorum.NO_MAXIMUM);
    }

    private int count() {
        try {
            return table.count(pattern);
        } catch (IOException e) {
            log.atWarn().setMessage("cannot read /proc; counting no process").addKeyValue("track_process",
                    spec.name()).addKeyValue("error", e.toString()).log();
            return 0;
        }
    }
}
