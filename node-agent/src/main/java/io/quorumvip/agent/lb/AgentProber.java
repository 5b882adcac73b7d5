package io.quorumvip.agent.lb;

import io.quorumvip.check.AgentState;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/**
 * AGENT_CHECK on the TCP client shared with the checks of its connect_timeout and bindto, as HAProxy's
 * agent-check runs: connect to the agent's port, send nothing, read until a line end, the agent closes,
 * {@value #MAX_LINE} bytes or connect_timeout, then fold what came into the agent's state ({@link AgentState}).
 * The state lives here, one per agent: a shared prober hands the same results to every virtual server, so they all
 * follow the same agent the same way.
 */
final class AgentProber implements Prober {

    /** More than any agent line HAProxy accepts in one buffer would be cut; one line is a few words. */
    static final int MAX_LINE = 1024;

    private final Vertx vertx;
    private final NetClient client;
    private final SocketAddress target;
    private final long timeoutMillis;
    private volatile AgentState state = AgentState.INITIAL;

    /** @param client the TCP client of this checker's connect_timeout and bindto ({@link CheckClients#tcp}) */
    AgentProber(Vertx vertx, NetClient client, CheckerConfig checker) {
        this.vertx = vertx;
        this.client = client;
        this.timeoutMillis = CheckClients.connectTimeoutMillis(checker);
        this.target = CheckClients.target(checker);
    }

    @Override
    public Future<ProbeResult> probe() {
        long start = System.nanoTime();
        Promise<AgentState.Step> promise = Promise.promise();
        client.connect(target)
                .onFailure(e -> promise.tryComplete(state.unreachable(ProbeErrors.describe(e), TcpProber.since(start))))
                .onSuccess(socket -> read(socket, promise, start));
        return promise.future().map(step -> {
            state = step.state();
            return step.result();
        });
    }

    private void read(NetSocket socket, Promise<AgentState.Step> promise, long start) {
        Buffer received = Buffer.buffer();
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (promise.tryComplete(state.received(received.getBytes(), TcpProber.since(start)))) {
                socket.close();
            }
        });
        promise.future().onComplete(done -> vertx.cancelTimer(timer));
        socket.closeHandler(v -> promise.tryComplete(state.received(received.getBytes(), TcpProber.since(start))));
        socket.exceptionHandler(e -> {
            if (promise.tryComplete(state.unreachable(ProbeErrors.describe(e), TcpProber.since(start)))) {
                socket.close();
            }
        });
        socket.handler(chunk -> {
            received.appendBuffer(chunk.length() > MAX_LINE - received.length()
                    ? chunk.getBuffer(0, MAX_LINE - received.length()) : chunk);
            if (lineEnded(received) || received.length() >= MAX_LINE) {
                if (promise.tryComplete(state.received(received.getBytes(), TcpProber.since(start)))) {
                    socket.close();
                }
            }
        });
    }

    private static boolean lineEnded(Buffer buffer) {
        for (int i = 0; i < buffer.length(); i++) {
            byte b = buffer.getByte(i);
            if (b == '\n' || b == '\r' || b == 0) {
                return true;
            }
        }
        return false;
    }

}
