package io.quorumvip.agent.lb;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.impl.ContextInternal;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * TCP_CHECK on the connector shared with the other TCP_CHECKs of its bindto, close_with_reset and connect_timeout
 * ({@link TcpConnector}): a connection that completes within connect_timeout ({@link ConnectDeadlines}) is a success,
 * and is closed at once (an orderly close, as keepalived's, or an RST with close_with_reset).
 */
final class TcpProber implements Prober {

    private final ContextInternal context;
    private final TcpConnector connector;
    private final InetSocketAddress target;

    TcpProber(CheckClients clients, CheckerConfig checker) {
        this.context = clients.context();
        this.connector = clients.tcpConnector(checker);
        this.target = new InetSocketAddress(checker.target().address(), checker.target().port());
    }

    /** Completes on the checks' context, where the load balancer takes the result without another hop. */
    @Override
    public Future<ProbeResult> probe() {
        Promise<ProbeResult> promise = Promise.promise();
        context.execute(promise, p -> new Attempt(p).start());
        return promise.future();
    }

    /** One connect: settled once, by its outcome or by the deadline. */
    private final class Attempt extends ConnectDeadlines.Wait implements ChannelFutureListener {
        private Promise<ProbeResult> promise;
        private Channel channel;

        Attempt(Promise<ProbeResult> promise) {
            this.promise = promise;
        }

        void start() {
            connector.deadlines().add(this);
            try {
                channel = connector.open();
            } catch (ChannelException e) {
                if (settle()) {
                    finish(ProbeResult.failure(ProbeErrors.describe(e.getCause() == null ? e : e.getCause()),
                            since(startNanos())));
                }
                return;
            }
            connector.connect(channel, target).addListener(this);
        }

        @Override
        public void operationComplete(ChannelFuture connected) {
            if (settle()) {
                finish(connected.isSuccess() ? ProbeResult.success("connected", since(startNanos()))
                        : ProbeResult.failure(ProbeErrors.describe(connected.cause()), since(startNanos())));
            }
        }

        @Override
        void expire() {
            finish(ProbeResult.failure("timed out", since(startNanos())));
        }

        /** Lets go of the channel and the promise: the deadlines' queue may hold this wait until its timer looks. */
        private void finish(ProbeResult result) {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            Promise<ProbeResult> completing = promise;
            promise = null;
            context.emit(result, completing::complete);
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
