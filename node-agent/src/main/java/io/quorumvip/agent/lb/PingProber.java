package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.IcmpEchoSocket;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.Inet4Address;

/** PING_CHECK: an ICMP echo request on the agent's one shared raw socket, answered within connect_timeout. */
final class PingProber implements Prober {

    private final Vertx vertx;
    private final IcmpEchoSocket socket;
    private final Inet4Address target;
    private final long timeoutMillis;

    PingProber(Vertx vertx, CheckerConfig checker, IcmpEchoSocket socket) {
        if (!(checker.target().address() instanceof Inet4Address v4)) {
            throw new IllegalArgumentException(checker.position() + ": PING_CHECK of "
                    + checker.target().address().getHostAddress() + " is IPv6, and quorum-vip pings IPv4 only; use "
                    + "TCP_CHECK or UDP_CHECK for this real server");
        }
        this.vertx = vertx;
        this.socket = socket;
        this.target = v4;
        this.timeoutMillis = Math.max(1, checker.timing().connectTimeout().toMillis());
    }

    @Override
    public Future<ProbeResult> probe() {
        long start = System.nanoTime();
        Promise<ProbeResult> promise = Promise.promise();
        try {
            int seq = socket.send(target, from -> promise.tryComplete(ProbeResult.success("echo reply",
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
