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
 * @param tickTime       {@code zk_tick_time} in ms, the ensemble's tickTime: a ZooKeeper leader cut off from its
 *                       followers can answer for up to 1.5 ticks after its successor started, which the lease's
 *                       margin must cover (default 2000, ZooKeeper's usual; docs/safety.md step 2)
 * @param path           {@code path}, the base znode (default {@code /quorum-vip})
 * @param digest         {@code digest user:password}, if set
 */
public record QuorumConfig(
        List<ZooKeeperServer> servers,
        Duration sessionTimeout,
        Duration tickTime,
        String path,
        Optional<DigestCredentials> digest,
        OnLoss onLoss,
        SourcePosition position) {

    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofMillis(3000);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofMillis(6000);
    public static final Duration DEFAULT_TICK_TIME = Duration.ofMillis(2000);
    public static final String DEFAULT_PATH = "/quorum-vip";

    public QuorumConfig {
        servers = List.copyOf(servers);
    }

    /** The ZooKeeper connect string, {@code host:port,host:port}. */
    public String connectString() {
        return servers.stream().map(ZooKeeperServer::toString).collect(Collectors.joining(","));
    }
}
