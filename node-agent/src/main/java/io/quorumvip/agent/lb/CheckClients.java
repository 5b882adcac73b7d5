package io.quorumvip.agent.lb;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Vert.x clients TCP_CHECK and HTTP_GET/SSL_GET probe through: one per distinct client configuration (connect
 * timeout, bindto, and for HTTP the version, TLS and SNI), shared by every checker that has it. A client per checker
 * cost 10,000 clients' pools, timers and buffers at 10,000 real servers. Sharing changes nothing on the wire: HTTP
 * keep-alive is off, so each probe still opens its own connection and closes it after the answer, as keepalived's
 * do, and the pool only queues probes of one endpoint beyond {@link #HTTP_CONNECTIONS_PER_ENDPOINT}.
 */
final class CheckClients implements AutoCloseable {

    /** Probes of one address:port at once (several checkers may list it); more wait for one to finish. */
    static final int HTTP_CONNECTIONS_PER_ENDPOINT = 32;

    private record TcpKey(long connectTimeoutMillis, Optional<InetAddress> bindAddress) {
    }

    private record HttpKey(long connectTimeoutMillis, Optional<InetAddress> bindAddress, HttpVersion version,
                           boolean tls, boolean sni) {
    }

    private final Vertx vertx;
    private final Map<TcpKey, NetClient> tcp = new HashMap<>();
    private final Map<HttpKey, HttpClient> http = new HashMap<>();

    CheckClients(Vertx vertx) {
        this.vertx = vertx;
    }

    static long connectTimeoutMillis(CheckerConfig checker) {
        return Math.max(1, checker.timing().connectTimeout().toMillis());
    }

    NetClient tcp(CheckerConfig checker) {
        TcpKey key = new TcpKey(connectTimeoutMillis(checker), checker.target().bindAddress());
        return tcp.computeIfAbsent(key, k -> {
            NetClientOptions options = new NetClientOptions().setConnectTimeout((int) k.connectTimeoutMillis());
            k.bindAddress().ifPresent(a -> options.setLocalAddress(a.getHostAddress()));
            return vertx.createNetClient(options);
        });
    }

    HttpClient http(CheckerConfig checker) {
        CheckKind.Http kind = (CheckKind.Http) checker.kind();
        HttpKey key = new HttpKey(connectTimeoutMillis(checker), checker.target().bindAddress(),
                kind.protocolVersion().startsWith("1.0") ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, kind.tls(),
                kind.sni());
        return http.computeIfAbsent(key, k -> {
            HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) k.connectTimeoutMillis())
                    .setKeepAlive(false).setProtocolVersion(k.version());
            if (k.tls()) {
                options.setSsl(true).setTrustAll(true).setVerifyHost(false).setForceSni(k.sni());
            }
            k.bindAddress().ifPresent(a -> options.setLocalAddress(a.getHostAddress()));
            return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(HTTP_CONNECTIONS_PER_ENDPOINT));
        });
    }

    @Override
    public void close() {
        tcp.values().forEach(NetClient::close);
        http.values().forEach(HttpClient::close);
        tcp.clear();
        http.clear();
    }
}
