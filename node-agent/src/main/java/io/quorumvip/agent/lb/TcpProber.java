package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.TcpProbeLoop;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.lb.NftProgramBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * TCP_CHECK on the agent's TCP probe loop ({@link TcpProbeLoop}, shared by every TCP_CHECK and HTTP_GET): a
 * connection that completes within connect_timeout is a success, and is closed at once (an orderly close, as
 * keepalived's, or an RST with close_with_reset). Results come back on the checks' context, a loop pass's results in
 * one task.
 */
final class TcpProber implements Prober {

    private final TcpProbeLoop loop;
    private final TcpProbeLoop.Target target;

    TcpProber(CheckClients clients, CheckerConfig checker) {
        this.loop = clients.tcpProbeLoop();
        this.target = TcpProbeLoop.target(new InetSocketAddress(checker.target().address(), checker.target().port()),
                checker.target().bindAddress(), checker.target().closeWithReset(),
                checker.target().untracked() ? NftProgramBuilder.CHECK_MARK : 0,
                Duration.ofMillis(CheckClients.connectTimeoutMillis(checker)));
    }

    @Override
    public Future<ProbeResult> probe() {
        Promise<ProbeResult> promise = Promise.promise();
        probe(promise::complete);
        return promise.future();
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        loop.submit(new Attempt(target, done));
    }

    private static final class Attempt extends TcpProbeLoop.Probe {
        private final Consumer<ProbeResult> done;

        Attempt(TcpProbeLoop.Target target, Consumer<ProbeResult> done) {
            super(target);
            this.done = done;
        }

        @Override
        protected void completed(ProbeResult result) {
            done.accept(result);
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
