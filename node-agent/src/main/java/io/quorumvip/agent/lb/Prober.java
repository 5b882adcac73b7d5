package io.quorumvip.agent.lb;

import io.quorumvip.check.ProbeResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Consumer;

/** Runs one attempt of one checker against its target; a failure is a result, never a failed future. */
interface Prober {

    Future<ProbeResult> probe();

    /**
     * The same attempt, its result handed to {@code done} on the thread the prober completes on. The load balancer
     * probes this way; TCP_CHECK and HTTP_GET hand the result over without a promise and its listener, which were
     * two of the objects per probe at 10,000 probes a second.
     */
    default void probe(Consumer<ProbeResult> done) {
        probe().onComplete(result -> done.accept(result.succeeded() ? result.result()
                : ProbeResult.failure(ProbeErrors.describe(result.cause()), Duration.ZERO)));
    }

    /** Releases sockets or clients it holds. */
    default void close() {
    }
}
