package io.quorumvip.agent.lb;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.quorumvip.script.ScriptUsers;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * MISC_CHECK: the program's exit code (0 ok, 1 failed, 2..255 ok with weight exit−2 under misc_dynamic), run on the
 * load balancer's bounded script pool and killed with its process group after misc_timeout.
 */
final class MiscProber implements Prober {

    private final CheckKind.Misc misc;
    private final Optional<String> runAs;
    private final ExecutorService scripts;

    MiscProber(CheckerConfig checker, ScriptUsers users, ExecutorService scripts) {
        this.misc = (CheckKind.Misc) checker.kind();
        this.runAs = users.runAs(misc.user());
        this.scripts = scripts;
    }

    @Override
    public Future<ProbeResult> probe() {
        Promise<ProbeResult> promise = Promise.promise();
        try {
            scripts.execute(() -> promise.complete(result(ScriptProcess.run(misc.command(), runAs, misc.timeout()))));
        } catch (RejectedExecutionException e) {
            promise.complete(ProbeResult.failure("not run: the script pool is shut down", java.time.Duration.ZERO));
        }
        return promise.future();
    }

    private ProbeResult result(ScriptProcess.Outcome outcome) {
        if (outcome.timedOut()) {
            return ProbeResult.failure("killed after misc_timeout " + misc.timeout().toMillis() + " ms"
                    + line(outcome), outcome.took());
        }
        if (outcome.exitCode() < 0) {
            return ProbeResult.failure(outcome.firstLine(), outcome.took());
        }
        ProbeResult exit = ProbeResult.exit(outcome.exitCode(), misc.dynamic(), outcome.took());
        return new ProbeResult(exit.success(), exit.detail() + line(outcome), exit.statusCode(),
                OptionalInt.of(outcome.exitCode()), exit.latency(), exit.dynamicWeight());
    }

    private static String line(ScriptProcess.Outcome outcome) {
        return outcome.firstLine().isEmpty() ? "" : ": " + outcome.firstLine();
    }
}
