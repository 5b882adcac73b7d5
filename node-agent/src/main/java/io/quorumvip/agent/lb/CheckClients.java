package io.quorumvip.agent.lb;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Vert.x TCP clients TCP_CHECK and HTTP_GET/SSL_GET probe through: one per distinct client configuration (connect
 * timeout, bindto, and TLS for SSL_GET), shared by every checker that has it. A client per checker cost 10,000
 * clients' options, pools and buffers at 10,000 real servers. Sharing changes nothing on the wire: each probe opens its
 * own connection and closes it after the answer, as keepalived's do.
 */
final class CheckClients implements AutoCloseable {

    private record Key(long connectTimeoutMillis, Optional<InetAddress> bindAddress, boolean tls) {
    }

    private final Vertx vertx;
    private final Map<Key, NetClient> clients = new HashMap<>();

    CheckClients(Vertx vertx) {
        this.vertx = vertx;
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
        return client(new Key(connectTimeoutMillis(checker), checker.target().bindAddress(), false));
    }

    /** SSL_GET's trusts any certificate, as keepalived does; its SNI is chosen per connection. */
    NetClient http(CheckerConfig checker) {
        return client(new Key(connectTimeoutMillis(checker), checker.target().bindAddress(),
                ((CheckKind.Http) checker.kind()).tls()));
    }

    private NetClient client(Key key) {
        return clients.computeIfAbsent(key, k -> {
            NetClientOptions options = new NetClientOptions().setConnectTimeout((int) k.connectTimeoutMillis());
            if (k.tls()) {
                options.setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm("");
            }
            k.bindAddress().ifPresent(a -> options.setLocalAddress(a.getHostAddress()));
            return vertx.createNetClient(options);
        });
    }

    @Override
    public void close() {
        clients.values().forEach(NetClient::close);
        clients.clear();
    }
}
