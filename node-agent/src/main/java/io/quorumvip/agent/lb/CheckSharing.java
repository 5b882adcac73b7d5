package io.quorumvip.agent.lb;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckTarget;
import io.quorumvip.config.CheckTiming;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * global_defs {@code lb_share_checks}: one prober per distinct (target, checker configuration), run once per period
 * and its results handed to every virtual server that lists it (keepalived probes once per virtual server: its
 * issues #2111 and #2358). Identical configurations fed identical results keep identical states, so the verdicts
 * are the ones keepalived would reach. Virtual servers with {@code ha_suspend} check on their own (they pause
 * while their address is elsewhere), and so does everything when sharing is off.
 */
final class CheckSharing {

    /** A virtual server (the load balancer's own state object), one of its real servers and a checker's index. */
    record Sharer(Object service, RealServerConfig real, int checker) {
    }

    /** What makes two checks the same check. */
    private record Key(CheckKind kind, CheckTiming timing, CheckTarget target, Optional<String> defaultVirtualhost,
                       String scope) {
    }

    private final boolean enabled;
    private final Map<Key, Prober> byKey = new HashMap<>();
    private final Map<Prober, List<Sharer>> sharers = new IdentityHashMap<>();

    CheckSharing(boolean enabled) {
        this.enabled = enabled;
    }

    /** The prober already running this check for another virtual server, when it may be shared. */
    Optional<Prober> existing(VirtualServerConfig vs, CheckerConfig checker) {
        return enabled ? Optional.ofNullable(byKey.get(key(vs, checker))) : Optional.empty();
    }

    void register(VirtualServerConfig vs, CheckerConfig checker, Prober prober, Sharer sharer) {
        if (enabled) {
            byKey.putIfAbsent(key(vs, checker), prober);
        }
        sharers.computeIfAbsent(prober, p -> new ArrayList<>()).add(sharer);
    }

    /** True for the one sharer that schedules the prober; the others only receive its results. */
    boolean runs(Prober prober, Sharer sharer) {
        return sharers.get(prober).get(0).equals(sharer);
    }

    /** Every sharer but the one that runs it: asked once per check when it starts, not per result. */
    List<Sharer> others(Prober prober) {
        List<Sharer> all = sharers.get(prober);
        return all.subList(1, all.size());
    }

    private static Key key(VirtualServerConfig vs, CheckerConfig checker) {
        return new Key(checker.kind(), checker.timing(), checker.target(), vs.virtualhost(),
                vs.haSuspend() ? vs.name() : "");
    }
}
