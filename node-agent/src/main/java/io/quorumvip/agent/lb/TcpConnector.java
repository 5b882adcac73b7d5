package io.quorumvip.agent.lb;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.SingleThreadEventLoop;
import java.net.InetSocketAddress;

/**
 * What the TCP_CHECKs of one bindto, close_with_reset and connect_timeout share: a channel made, registered and
 * connected on the checks' loop in one call, and one queue of their deadlines. Netty's {@code Bootstrap} did more per
 * connect than a probe needs: a handler added to the pipeline, an address resolver looked up for a resolved address,
 * and the connect itself queued as a task of its own.
 */
final class TcpConnector {

    private final SingleThreadEventLoop loop;
    private final ChannelFactory<? extends Channel> channels;
    private final InetSocketAddress local;
    private final boolean closeWithReset;
    private final ConnectDeadlines deadlines;

    /**
     * @param local the bindto address, port 0, or null for the kernel's choice
     * @param closeWithReset sockets linger 0 s: closing one sends an RST ({@link CheckClients#connector})
     */
    TcpConnector(SingleThreadEventLoop loop, ChannelFactory<? extends Channel> channels, InetSocketAddress local,
            boolean closeWithReset, long timeoutNanos) {
        this.loop = loop;
        this.channels = channels;
        this.local = local;
        this.closeWithReset = closeWithReset;
        this.deadlines = new ConnectDeadlines(loop, timeoutNanos);
    }

    ConnectDeadlines deadlines() {
        return deadlines;
    }

    /**
     * A new channel registered on the loop, not connected yet; on the loop only.
     *
     * @throws ChannelException when no socket can be had (e.g. too many open files)
     */
    Channel open() {
        Channel channel = channels.newChannel();
        // Netty's default (30 s) put a timer of its own into the loop's heap at every connect; the deadlines time it.
        channel.config().setConnectTimeoutMillis(0);
        if (closeWithReset) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        ChannelFuture registered = loop.register(channel);
        if (!registered.isSuccess()) {
            channel.unsafe().closeForcibly();
            throw new ChannelException("cannot register a TCP_CHECK socket on the checks' event loop: "
                    + registered.cause(), registered.cause());
        }
        return channel;
    }

    ChannelFuture connect(Channel channel, InetSocketAddress target) {
        return local == null ? channel.connect(target) : channel.connect(target, local);
    }
}
