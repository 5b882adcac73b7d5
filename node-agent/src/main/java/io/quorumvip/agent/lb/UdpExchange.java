package io.quorumvip.agent.lb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One datagram out, the first answer back, on Vert.x's own Netty event loops (no thread per check). The socket is
 * connected, so the kernel reports an ICMP port unreachable as an error on it: UDP_CHECK's "unreachable = failure"
 * needs exactly that, which Vert.x's unconnected {@code DatagramSocket} cannot tell.
 */
final class UdpExchange {

    /** How an exchange ended. */
    sealed interface Outcome {
        /** The first datagram that came back. */
        record Reply(byte[] bytes) implements Outcome {
        }

        /** The kernel got an ICMP unreachable for our datagram. */
        record Unreachable() implements Outcome {
        }

        /** Nothing came back within the timeout. */
        record Silence() implements Outcome {
        }

        /** The socket could not be opened, bound or written. */
        record Error(String message) implements Outcome {
        }
    }

    /** Where a checker sends its datagram, from where, and how long it waits for the answer. */
    record Target(InetSocketAddress remote, Optional<InetSocketAddress> local, long timeoutMillis) {
        static Target of(CheckerConfig checker) {
            return new Target(new InetSocketAddress(checker.target().address(), checker.target().port()),
                    checker.target().bindAddress().map(a -> new InetSocketAddress(a, checker.target().bindPort()
                            .orElse(0))), Math.max(1, checker.timing().connectTimeout().toMillis()));
        }
    }

    private UdpExchange() {
    }

    static Future<Outcome> send(Vertx vertx, Target target, byte[] payload) {
        InetSocketAddress remote = target.remote();
        Optional<InetSocketAddress> local = target.local();
        long timeoutMillis = target.timeoutMillis();
        VertxInternal internal = (VertxInternal) vertx;
        Promise<Outcome> promise = Promise.promise();
        DatagramChannel channel = internal.transport().datagramChannel(remote.getAddress() instanceof Inet6Address
                ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
        channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                ByteBuf content = packet.content();
                byte[] bytes = new byte[content.readableBytes()];
                content.readBytes(bytes);
                finish(promise, channel, new Outcome.Reply(bytes));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                finish(promise, channel, cause instanceof PortUnreachableException ? new Outcome.Unreachable()
                        : new Outcome.Error(ProbeErrors.describe(cause)));
            }
        });
        internal.getEventLoopGroup().register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                finish(promise, channel, new Outcome.Error(ProbeErrors.describe(registered.cause())));
                return;
            }
            channel.eventLoop().schedule(() -> finish(promise, channel, new Outcome.Silence()), timeoutMillis,
                    TimeUnit.MILLISECONDS);
            var connected = local.isPresent() ? channel.connect(remote, local.get()) : channel.connect(remote);
            connected.addListener(c -> {
                if (!c.isSuccess()) {
                    finish(promise, channel, new Outcome.Error(ProbeErrors.describe(c.cause())));
                    return;
                }
                channel.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener(w -> {
                    if (!w.isSuccess()) {
                        finish(promise, channel, w.cause() instanceof PortUnreachableException
                                ? new Outcome.Unreachable() : new Outcome.Error(ProbeErrors.describe(w.cause())));
                    }
                });
            });
        });
        return promise.future();
    }

    private static void finish(Promise<Outcome> promise, DatagramChannel channel, Outcome outcome) {
        if (promise.tryComplete(outcome)) {
            channel.close();
        }
    }
}
