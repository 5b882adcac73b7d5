package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.IcmpEchoSocket;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;

/**
 * PING_CHECK: an ICMP (IPv4) or ICMPv6 echo request on the agent's shared raw socket of the real server's family,
 * answered within connect_timeout.
 */
final class PingProber implements Prober {

    private final Vertx vertx;
    private final IcmpEchoSocket socket;
    private final InetAddress target;
    private final long timeoutMillis;

    /** @param socket the echo socket of the target's address family */
    PingProber(Vertx vertx, CheckerConfig checker, IcmpEchoSocket socket) {
        this.vertx = vertx;
        this.socket = socket;
        this.target = checker.target().address();
        this.timeoutMillis = Math.max(1, checker.timing().connectTimeout().toMillis());
    }

    @Override
    public Future<ProbeResult> probe() {
        long start = System.nanoTime();
        Promise<ProbeResult> promise = Promise.promise();
        try {
            int seq = socket.send(target, () -> promise.tryComplete(ProbeResult.success("echo reply",
                    TcpProber.since(start))));
            vertx.setTimer(timeoutMillis, id -> {
                if (promise.tryComplete(ProbeResult.failure("no echo reply within " + timeoutMillis + " ms",
                        TcpProber.since(start)))) {
                    socket.forget(seq);
                }
            });
        } catch (IOException e) {
            promise.tryComplete(ProbeResult.failure(e.getMessage(), TcpProber.since(start)));
        }
        return promise.future();
    }
}
