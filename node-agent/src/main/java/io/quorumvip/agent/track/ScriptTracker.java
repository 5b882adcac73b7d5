package io.quorumvip.agent.track;

import io.quorumvip.script.ScriptCommand;
import io.quorumvip.agent.script.ScriptRunner;
import io.quorumvip.config.VrrpScript;
import io.quorumvip.track.ScriptHealth;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code vrrp_script} every interval on a worker thread and tells its listener, on the event loop, whenever
 * the rise/fall verdict changes. One tracker serves every instance that tracks the script, as in keepalived, so the
 * script runs once per interval however many instances use it. A run never overlaps the previous one.
 */
public final class ScriptTracker {

    private static final Logger log = LoggerFactory.getLogger(ScriptTracker.class);

    private final VrrpScript spec;
    private final List<String> argv;
    private final Vertx vertx;
    private final BiConsumer<Boolean, String> onVerdict;
    private ScriptHealth health;
    private boolean running;
    private long timer = -1;

    /**
     * @param runAs     who the script runs as ({@code USER [GROUP]}; empty: the agent's user), see ScriptUsers
     * @param onVerdict called on the event loop with the new verdict and the run that decided it, on each change
     */
    public ScriptTracker(VrrpScript spec, Optional<String> runAs, Vertx vertx,
                         BiConsumer<Boolean, String> onVerdict) {
        this.spec = spec;
        this.argv = ScriptCommand.asUser(ScriptCommand.split(spec.script()), runAs);
        this.vertx = vertx;
        this.onVerdict = onVerdict;
        this.health = ScriptHealth.initial(false);
    }

    public String name() {
        return spec.name();
    }

    public boolean healthy() {
        return health.healthy();
    }

    public void start() {
        runOnce();
        timer = vertx.setPeriodic(Math.max(1, spec.interval().toMillis()), id -> runOnce());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void runOnce() {
        if (running) {
            return;
        }
        running = true;
        vertx.<ScriptRunner.Outcome>executeBlocking(() -> ScriptRunner.run(argv, spec.timeout()), false)
                .onComplete(result -> {
                    running = false;
                    ScriptRunner.Outcome outcome = result.succeeded() ? result.result()
                            : new ScriptRunner.Outcome(ScriptRunner.Kind.NOT_STARTED, -1, result.cause().toString());
                    boolean before = health.healthy();
                    health = health.next(outcome.success(), spec.rise(), spec.fall());
                    if (health.healthy() != before) {
                        log.atInfo().setMessage(health.healthy() ? "tracked script healthy" : "tracked script failing")
                                .addKeyValue("script", spec.name()).addKeyValue("outcome", outcome.detail()).log();
                        onVerdict.accept(health.healthy(), outcome.detail());
                    }
                });
    }
}
