package io.quorumvip.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The top-level {@code quorum} block: where the ZooKeeper lease lives.
 *
 * @param servers        {@code connect host:port,...}
 * @param sessionTimeout {@code session_timeout} in ms, at least 3000 so address lifetimes of 1 s or more fit
 *                       under it (default 6000)
 * @param path           {@code path}, the base znode (default {@code /quorum-vip})
 * @param digest         {@code digest user:password}, if set
 */
public record QuorumConfig(
        List<ZooKeeperServer> servers,
        Duration sessionTimeout,
        String path,
        Optional<DigestCredentials> digest,
        OnLoss onLoss,
        SourcePosition position) {

    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofMillis(3000);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofMillis(6000);
    public static final String DEFAULT_PATH = "/quorum-vip";

    public QuorumConfig {
        servers = List.copyOf(servers);
    }

    /** The ZooKeeper connect string, {@code host:port,host:port}. */
    public String connectString() {
        return servers.stream().map(ZooKeeperServer::toString).collect(Collectors.joining(","));
    }
}
