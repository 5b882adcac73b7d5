package io.quorumvip.agent.lb;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;

/**
 * TCP_CHECK on a Vert.x client shared with the other TCP_CHECKs of its connect_timeout and bindto
 * ({@link CheckClients}): a connection that completes within connect_timeout is a success.
 */
final class TcpProber implements Prober {

    private final NetClient client;
    private final SocketAddress target;

    TcpProber(NetClient client, CheckerConfig checker) {
        this.client = client;
        this.target = CheckClients.target(checker);
    }

    @Override
    public Future<ProbeResult> probe() {
        long start = System.nanoTime();
        return client.connect(target).map(socket -> {
            socket.close();
            return ProbeResult.success("connected", since(start));
        }).otherwise(e -> ProbeResult.failure(ProbeErrors.describe(e), since(start)));
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
