package io.quorumvip.lb;

import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.L4Protocol;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.Persistence;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.SourcePosition;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VirtualService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Virtual servers built in code for the pool and program tests. */
final class LbFixtures {

    static final SourcePosition HERE = new SourcePosition(Path.of("test.conf"), 1, 1);

    private LbFixtures() {
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static RealServerConfig real(String address, int port, int weight, boolean inhibit) {
        return new RealServerConfig(ip(address), port, HERE, weight, ForwardingMethod.NAT, inhibit,
                Optional.empty(), Optional.empty(), true, List.of());
    }

    /** rs1..rsN at 192.0.2.51.. port 80 with the given weights. */
    static List<RealServerConfig> reals(int... weights) {
        return IntStream.range(0, weights.length)
                .mapToObj(i -> real("192.0.2." + (51 + i), 80, weights[i], false)).toList();
    }

    static VirtualServerConfig virtualServer(LbScheduler scheduler, ForwardingMethod method, int quorum,
                                             int hysteresis, Optional<RealServerConfig> sorry, boolean sorryInhibit,
                                             Optional<Persistence> persistence, List<RealServerConfig> reals) {
        return new VirtualServerConfig(new VirtualService.Endpoint(ip("192.0.2.210"), 80), HERE, L4Protocol.TCP,
                scheduler, method, persistence, quorum, hysteresis, Optional.empty(), Optional.empty(), false, false,
                false, false, false, Optional.empty(), sorry, sorryInhibit, false, reals);
    }

    /** The same virtual server with {@code expire_nodest_conn}. */
    static VirtualServerConfig expiringNodestConn(VirtualServerConfig b) {
        return new VirtualServerConfig(b.service(), b.position(), b.protocol(), b.scheduler(), b.method(),
                b.persistence(), b.quorum(), b.hysteresis(), b.quorumUp(), b.quorumDown(), b.haSuspend(), b.alpha(),
                b.omega(), b.hashPort(), b.smtpAlert(), b.virtualhost(), b.sorryServer(), b.sorryInhibit(), true,
                b.realServers());
    }

    static VirtualServerConfig virtualServer(int quorum, int hysteresis, Optional<RealServerConfig> sorry,
                                             List<RealServerConfig> reals) {
        return virtualServer(LbScheduler.WRR, ForwardingMethod.NAT, quorum, hysteresis, sorry, false,
                Optional.empty(), reals);
    }
}
