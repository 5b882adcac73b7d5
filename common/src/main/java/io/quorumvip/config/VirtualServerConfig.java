package io.quorumvip.config;

import java.util.List;
import java.util.Optional;

/**
 * A {@code virtual_server} block, checked and with keepalived's defaults filled in.
 *
 * @param scheduler       as written (or keepalived's default wlc); {@link LbScheduler#choice()} is what runs
 * @param quorum          the least sum of live weights for the pool to be served; default 1
 * @param hysteresis      quorum is lost below quorum−hysteresis and gained again at quorum+hysteresis; default 0
 * @param haSuspend       check only while this director holds the virtual address
 * @param omega           run quorum_down and notify_down on a clean stop
 * @param sorryServer     replaces the pool while quorum is lost
 * @param sorryInhibit    the sorry server stays in the pool with weight 0 while quorum holds
 * @param hashPort        {@code sh-port}/{@code mh-port}: the client's port is hashed with its address
 * @param expireNodestConn a quorum-vip extension named after the IPVS sysctl: NAT connections of a real server that
 *                        left the pool are reset (TCP) or dropped (UDP, SCTP) at their next packet instead of
 *                        staying on it; off by default
 */
public record VirtualServerConfig(VirtualService service, SourcePosition position, L4Protocol protocol,
                                  LbScheduler scheduler, ForwardingMethod method, Optional<Persistence> persistence,
                                  int quorum, int hysteresis, Optional<NotifyScript> quorumUp,
                                  Optional<NotifyScript> quorumDown, boolean haSuspend, boolean alpha, boolean omega,
                                  boolean hashPort, boolean smtpAlert, Optional<String> virtualhost,
                                  Optional<RealServerConfig> sorryServer, boolean sorryInhibit,
                                  boolean expireNodestConn, List<RealServerConfig> realServers) {

    public static final int DEFAULT_QUORUM = 1;

    public VirtualServerConfig {
        realServers = List.copyOf(realServers);
    }

    /** The name events, status and the nftables chains use: {@code 192.0.2.210:80/tcp}, {@code fwmark 1/tcp}. */
    public String name() {
        return service + "/" + protocol.nftName();
    }
}
