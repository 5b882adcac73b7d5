package io.quorumvip.agent.lb;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.impl.ContextInternal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * TCP_CHECK on the bare connector shared with the other TCP_CHECKs of its bindto ({@link CheckClients#connector}): a
 * connection that completes within connect_timeout ({@link LoopDeadline}) is a success, and is closed at once (an
 * orderly close, as keepalived's, or an RST with close_with_reset: {@link CheckClients#connector}).
 */
final class TcpProber implements Prober {

    private final ContextInternal context;
    private final Bootstrap connector;
    private final InetSocketAddress target;
    private final long timeoutNanos;

    TcpProber(CheckClients clients, CheckerConfig checker) {
        this.context = clients.context();
        this.connector = clients.connector(checker);
        this.target = new InetSocketAddress(checker.target().address(), checker.target().port());
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(CheckClients.connectTimeoutMillis(checker));
    }

    /** Completes on the checks' context, where the load balancer takes the result without another hop. */
    @Override
    public Future<ProbeResult> probe() {
        Promise<ProbeResult> promise = Promise.promise();
        context.execute(v -> new Attempt(promise).start());
        return promise.future();
    }

    /** One connect: done once, by its outcome or by the deadline. */
    private final class Attempt implements ChannelFutureListener, Runnable {
        private final Promise<ProbeResult> promise;
        private final long start = System.nanoTime();
        private final LoopDeadline deadline;
        private Channel channel;
        private boolean done;

        Attempt(Promise<ProbeResult> promise) {
            this.promise = promise;
            this.deadline = new LoopDeadline(CheckClients.loop(context), timeoutNanos, this);
        }

        void start() {
            deadline.start();
            ChannelFuture connecting = connector.connect(target);
            channel = connecting.channel();
            connecting.addListener(this);
        }

        @Override
        public void operationComplete(ChannelFuture connected) {
            if (!done) {
                finish(connected.isSuccess() ? ProbeResult.success("connected", since(start))
                        : ProbeResult.failure(ProbeErrors.describe(connected.cause()), since(start)));
            }
        }

        /** The deadline passed without a connection. */
        @Override
        public void run() {
            if (!done) {
                finish(ProbeResult.failure("timed out", since(start)));
            }
        }

        private void finish(ProbeResult result) {
            done = true;
            deadline.cancel();
            channel.close();
            context.emit(result, promise::complete);
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
