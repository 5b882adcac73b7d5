package io.quorumvip.agent.lb;

import io.quorumvip.check.ProbeResult;
import io.vertx.core.Future;

/** Runs one attempt of one checker against its target; a failure is a result, never a failed future. */
interface Prober {

    Future<ProbeResult> probe();

    /** Releases sockets or clients it holds. */
    default void close() {
    }
}
