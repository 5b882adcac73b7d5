package io.quorumvip.lb;

import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one fold from real-server states to a pool, with keepalived's rules (check/ipwrapper.c
 * {@code update_quorum_state}, {@code perform_svr_state}, {@code set_quorum_states}):
 * <ul>
 *   <li>a live real server is in the pool with its weight; a dead one leaves it, or stays with weight 0 under
 *       {@code inhibit_on_failure};</li>
 *   <li>quorum is judged on the sum of live weights: it starts up when the sum reaches quorum+hysteresis, is lost
 *       when the sum falls below quorum−hysteresis (or to 0), and is gained again at quorum+hysteresis;</li>
 *   <li>while quorum is lost, a configured sorry server replaces the whole pool; without one the live real servers
 *       keep serving. While quorum holds, the sorry server is out, or in with weight 0 under
 *       {@code sorry_server_inhibit}.</li>
 * </ul>
 * Pure: the previous quorum state is the only memory, passed in.
 */
public final class PoolFold {

    private PoolFold() {
    }

    /** What changed about quorum, for the journal and quorum_up/quorum_down. */
    public enum QuorumChange { GAINED, LOST }

    /** The pool and, when quorum flipped, how, with the live weight and the threshold crossed. */
    public record Decision(Pool pool, Optional<QuorumChange> quorumChange, long threshold) {

        /** The sorry server started (true) or stopped (false) serving. */
        public Optional<Boolean> sorryServing(Pool before) {
            boolean was = before.members().stream().anyMatch(m -> m.sorry() && m.weight() > 0);
            boolean is = pool.members().stream().anyMatch(m -> m.sorry() && m.weight() > 0);
            return was == is ? Optional.empty() : Optional.of(is);
        }
    }

    /** keepalived's {@code set_quorum_states}: at start-up quorum is up when the live weight reaches quorum+hysteresis. */
    public static boolean initialQuorum(VirtualServerConfig vs, List<RealServerState> reals) {
        return liveWeight(reals) >= (long) vs.quorum() + vs.hysteresis();
    }

    public static Decision fold(VirtualServerConfig vs, List<RealServerState> reals, boolean quorumWasUp) {
        long live = liveWeight(reals);
        long threshold = (long) vs.quorum() + (quorumWasUp ? -1L : 1L) * vs.hysteresis();
        boolean quorumUp = quorumWasUp ? live != 0 && live >= threshold : live >= threshold;
        Optional<QuorumChange> change = quorumUp == quorumWasUp ? Optional.empty()
                : Optional.of(quorumUp ? QuorumChange.GAINED : QuorumChange.LOST);
        List<PoolMember> members = new ArrayList<>();
        Optional<RealServerConfig> sorry = vs.sorryServer();
        if (!quorumUp && sorry.isPresent()) {
            members.add(sorryMember(sorry.get(), sorry.get().weight()));
        } else {
            for (RealServerState real : reals) {
                if (real.alive()) {
                    members.add(member(real.config(), real.weight()));
                } else if (real.config().inhibitOnFailure()) {
                    members.add(member(real.config(), 0));
                }
            }
            if (sorry.isPresent() && vs.sorryInhibit()) {
                members.add(sorryMember(sorry.get(), 0));
            }
        }
        return new Decision(new Pool(vs.name(), members, live, quorumUp), change, threshold);
    }

    static long liveWeight(List<RealServerState> reals) {
        return reals.stream().filter(RealServerState::alive).mapToLong(RealServerState::weight).sum();
    }

    private static PoolMember member(RealServerConfig config, int weight) {
        return new PoolMember(config.address(), config.port(), weight, false);
    }

    private static PoolMember sorryMember(RealServerConfig config, int weight) {
        return new PoolMember(config.address(), config.port(), weight, true);
    }
}
