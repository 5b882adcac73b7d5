package io.quorumvip.agent.lb;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.quorumvip.agent.net.TcpProbeLoop;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What the checks connect through, one per distinct client configuration, shared by every checker that has it: a
 * client per checker cost 10,000 clients' options, pools and buffers at 10,000 real servers. Sharing changes nothing
 * on the wire: each probe opens its own connection and closes it after the answer, as keepalived's do.
 *
 * <p>TCP_CHECK and HTTP_GET connect on the {@link TcpProbeLoop}, a thread of its own with descriptors it owns, started
 * with the first of them; SSL_GET through a bare Netty {@link Bootstrap} on the checks' event loop, timed by
 * {@link LoopDeadline} rather than Netty's connect timeout. A Vert.x connection around each probe (its socket object,
 * handler, channel group and futures) was most of the Java work per probe at 10,000 probes a second, and its connect
 * timeout fired without looking at the sockets the loop had not read yet. AGENT_CHECK, a line read from a connection,
 * keeps a Vert.x client (one per connect_timeout and bindto).
 */
final class CheckClients implements AutoCloseable {

    private record Key(long connectTimeoutMillis, Optional<InetAddress> bindAddress) {
    }

    private record ConnectorKey(Optional<InetAddress> bindAddress, boolean closeWithReset) {
    }

    /** A connection's handlers are added once it is open, by its probe. */
    @ChannelHandler.Sharable
    private static final class Nothing extends ChannelInboundHandlerAdapter {
    }

    private static final ChannelHandler NOTHING = new Nothing();

    private final Vertx vertx;
    private final ContextInternal context;
    private final Map<Key, NetClient> clients = new HashMap<>();
    private final Map<ConnectorKey, Bootstrap> connectors = new HashMap<>();
    private TcpProbeLoop tcpProbeLoop;
    private SslContext tls;

    /** @param context where the probes run and complete: the checks' event loop */
    CheckClients(Vertx vertx, Context context) {
        this.vertx = vertx;
        this.context = (ContextInternal) context;
    }

    ContextInternal context() {
        return context;
    }

    static SingleThreadEventLoop loop(ContextInternal context) {
        return (SingleThreadEventLoop) context.nettyEventLoop();
    }

    static long connectTimeoutMillis(CheckerConfig checker) {
        return Math.max(1, checker.timing().connectTimeout().toMillis());
    }

    /**
     * The checker's target as a resolved address: given as a string, each connect went through Vert.x's and
     * Netty's name resolution (a literal, but still futures and lookups per probe).
     */
    static SocketAddress target(CheckerConfig checker) {
        return SocketAddress.inetSocketAddress(new InetSocketAddress(checker.target().address(),
                checker.target().port()));
    }

    NetClient tcp(CheckerConfig checker) {
        return clients.computeIfAbsent(new Key(connectTimeoutMillis(checker), checker.target().bindAddress()), k -> {
            NetClientOptions options = new NetClientOptions().setConnectTimeout((int) k.connectTimeoutMillis());
            k.bindAddress().ifPresent(a -> options.setLocalAddress(a.getHostAddress()));
            return vertx.createNetClient(options);
        });
    }

    /**
     * A bare connector on the checks' event loop, without a connect timeout of its own: the probe times it. With
     * close_with_reset its sockets linger 0 s, so closing one sends an RST: the director keeps no TIME_WAIT socket,
     * and its conntrack entry closes in 10 s (nf_conntrack_tcp_timeout_close) instead of 120 s (time_wait).
     */
    Bootstrap connector(CheckerConfig checker) {
        return connectors.computeIfAbsent(new ConnectorKey(checker.target().bindAddress(),
                checker.target().closeWithReset()), k -> {
                    Bootstrap bootstrap = new Bootstrap().group(context.nettyEventLoop())
                            .channelFactory(((VertxInternal) vertx).transport().channelFactory(false))
                            .handler(NOTHING);
                    k.bindAddress().ifPresent(a -> bootstrap.localAddress(new InetSocketAddress(a, 0)));
                    if (k.closeWithReset()) {
                        bootstrap.option(ChannelOption.SO_LINGER, 0);
                    }
                    // Netty's default (30 s) put a timer of its own into the loop's heap at every connect.
                    bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
                    return bootstrap;
                });
    }

    /**
     * The loop every TCP_CHECK and HTTP_GET connects on, started by the first; its results come back on the checks'
     * context.
     */
    TcpProbeLoop tcpProbeLoop() {
        if (tcpProbeLoop == null) {
            try {
                tcpProbeLoop = TcpProbeLoop.start(task -> context.runOnContext(v -> task.run()), "lb-tcp-probes");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the TCP probe loop: " + e.getMessage()
                        + "; the agent needs epoll and eventfd (Linux)", e);
            }
        }
        return tcpProbeLoop;
    }

    /** On the checks' context: takes the results the TCP probe loop posted, if it was started. */
    void collectResults() {
        if (tcpProbeLoop != null) {
            tcpProbeLoop.collect();
        }
    }

    /** SSL_GET's: trusts any certificate and checks no name, as keepalived does; its SNI is chosen per connection. */
    SslContext tls() {
        if (tls == null) {
            try {
                tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot make SSL_GET's TLS client context: " + e.getMessage(), e);
            }
        }
        return tls;
    }

    @Override
    public void close() {
        clients.values().forEach(NetClient::close);
        clients.clear();
        connectors.clear();
        if (tcpProbeLoop != null) {
            tcpProbeLoop.close();
            tcpProbeLoop = null;
        }
    }
}
