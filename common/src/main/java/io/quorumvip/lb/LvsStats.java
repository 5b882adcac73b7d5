package io.quorumvip.lb;

import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code ipvsadm -Ln --stats} from the named counters the program gives every virtual server (counted first in its
 * chain) and every configured real server (counted in the forward chain, selected by member mark), read back with a
 * libnftables {@code list counters}. Which columns a counter can answer depends on where the chain hooks:
 * <ul>
 *   <li>NAT (nat prerouting) sees only the first packet of each connection: its packets are connections (Conns);
 *       the bytes of first packets mean nothing to an operator, and later packets never pass.</li>
 *   <li>DR (netdev ingress) is stateless and sees every inbound packet: InPkts and InBytes (layer 3, as IPVS counts),
 *       but no connections.</li>
 * </ul>
 * OutPkts and OutBytes are never known: NAT replies are un-NATed by conntrack without passing the chain, and DR
 * replies go from the real server straight to the client. Unknown stays empty, never zero.
 *
 * <p>A counter lives as long as its virtual server's configuration keeps it: pool changes leave it alone, so a real
 * server's counts survive its leaving and rejoining the pool, and a virtual server's survive every pool change.
 */
public final class LvsStats {

    private LvsStats() {
    }

    /** One nftables counter. */
    public record Counter(long packets, long bytes) {
    }

    /** The ipvsadm columns this data plane can answer; empty where it cannot. */
    public record Stats(OptionalLong conns, OptionalLong inPkts, OptionalLong inBytes) {

        public static final Stats UNKNOWN = new Stats(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

        /** What one counter says, for a virtual server forwarding with {@code method}. */
        public static Stats of(ForwardingMethod method, Counter counter) {
            return method == ForwardingMethod.DR
                    ? new Stats(OptionalLong.empty(), OptionalLong.of(counter.packets()), OptionalLong.of(counter.bytes()))
                    : new Stats(OptionalLong.of(counter.packets()), OptionalLong.empty(), OptionalLong.empty());
        }
    }

    /**
     * One virtual server's figures.
     *
     * @param realServers by endpoint ({@code 192.0.2.51:80}), those whose counter was read (every configured one)
     */
    public record ServiceStats(String virtualServer, Stats service, Map<String, Stats> realServers) {
        public ServiceStats {
            realServers = Map.copyOf(realServers);
        }

        public Stats realServer(String endpoint) {
            return realServers.getOrDefault(endpoint, Stats.UNKNOWN);
        }
    }

    /**
     * Maps named counters back to one virtual server and its real servers (the sorry server too), by the names {@link
     * NftProgramBuilder} gives them.
     */
    public static ServiceStats of(VirtualServerConfig vs, Map<String, Counter> counters) {
        ForwardingMethod method = vs.method();
        Stats service = Optional.ofNullable(counters.get(NftProgramBuilder.serviceCounter(vs)))
                .map(c -> Stats.of(method, c)).orElse(Stats.UNKNOWN);
        List<RealServerConfig> reals = new ArrayList<>(vs.realServers());
        vs.sorryServer().ifPresent(reals::add);
        Map<String, Stats> byEndpoint = new HashMap<>();
        for (RealServerConfig real : reals) {
            PoolMember member = new PoolMember(real.address(), real.port(), 0, false);
            Counter counter = counters.get(NftProgramBuilder.memberCounter(vs, member));
            if (counter != null) {
                byEndpoint.put(member.endpoint(), Stats.of(method, counter));
            }
        }
        return new ServiceStats(vs.name(), service, byEndpoint);
    }
}
