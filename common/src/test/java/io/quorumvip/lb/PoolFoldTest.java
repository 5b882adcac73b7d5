package io.quorumvip.lb;

import static io.quorumvip.lb.LbFixtures.real;
import static io.quorumvip.lb.LbFixtures.reals;
import static io.quorumvip.lb.LbFixtures.virtualServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PoolFoldTest {

    private static List<RealServerState> states(List<RealServerConfig> reals, boolean... alive) {
        List<RealServerState> states = new ArrayList<>();
        for (int i = 0; i < reals.size(); i++) {
            states.add(RealServerState.of(reals.get(i), alive[i]));
        }
        return states;
    }

    @Test
    void shouldServeTheLiveRealServersWithTheirWeights() {
        List<RealServerConfig> reals = reals(3, 1, 1);
        VirtualServerConfig vs = virtualServer(2, 0, Optional.of(real("198.51.100.60", 80, 1, false)), reals);

        PoolFold.Decision decision = PoolFold.fold(vs, states(reals, true, false, true), true);

        assertThat(decision.pool().members()).extracting(PoolMember::endpoint, PoolMember::weight, PoolMember::sorry)
                .containsExactly(tuple("192.0.2.51:80", 3, false), tuple("192.0.2.53:80", 1, false));
        assertThat(decision.pool().liveWeight()).isEqualTo(4);
        assertThat(decision.quorumChange()).isEmpty();
    }

    @Test
    void shouldKeepAnInhibitedDeadRealServerWithWeightZero() {
        List<RealServerConfig> reals = List.of(real("192.0.2.51", 80, 2, true), real("192.0.2.52", 80, 1, false));
        VirtualServerConfig vs = virtualServer(1, 0, Optional.empty(), reals);

        Pool pool = PoolFold.fold(vs, states(reals, false, true), true).pool();

        assertThat(pool.members()).extracting(PoolMember::endpoint, PoolMember::weight)
                .containsExactly(tuple("192.0.2.51:80", 0), tuple("192.0.2.52:80", 1));
        assertThat(pool.serving()).extracting(PoolMember::endpoint).containsExactly("192.0.2.52:80");
    }

    @Test
    void shouldReplaceThePoolWithTheSorryServerWhenQuorumIsLostAndBringItBack() {
        List<RealServerConfig> reals = reals(3, 1, 1);
        RealServerConfig sorry = real("198.51.100.60", 80, 1, false);
        VirtualServerConfig vs = virtualServer(2, 0, Optional.of(sorry), reals);
        Pool before = PoolFold.fold(vs, states(reals, true, true, true), true).pool();

        PoolFold.Decision lost = PoolFold.fold(vs, states(reals, false, true, false), true);
        PoolFold.Decision gained = PoolFold.fold(vs, states(reals, false, true, true), false);

        assertThat(lost.quorumChange()).contains(PoolFold.QuorumChange.LOST);
        assertThat(lost.pool().members()).extracting(PoolMember::endpoint, PoolMember::sorry)
                .containsExactly(tuple("198.51.100.60:80", true));
        assertThat(lost.sorryServing(before)).contains(true);
        assertThat(gained.quorumChange()).contains(PoolFold.QuorumChange.GAINED);
        assertThat(gained.pool().members()).extracting(PoolMember::endpoint)
                .containsExactly("192.0.2.52:80", "192.0.2.53:80");
        assertThat(gained.sorryServing(lost.pool())).contains(false);
    }

    @Test
    void shouldKeepAnInhibitedSorryServerAtWeightZeroWhileQuorumHolds() {
        List<RealServerConfig> reals = reals(1);
        VirtualServerConfig vs = virtualServer(LbScheduler.RR, ForwardingMethod.NAT, 1, 0,
                Optional.of(real("198.51.100.60", 80, 1, false)), true, Optional.empty(), reals);

        Pool pool = PoolFold.fold(vs, states(reals, true), true).pool();

        assertThat(pool.members()).extracting(PoolMember::endpoint, PoolMember::weight, PoolMember::sorry)
                .containsExactly(tuple("192.0.2.51:80", 1, false), tuple("198.51.100.60:80", 0, true));
    }

    @Test
    void shouldKeepServingTheLiveServersWithoutQuorumWhenThereIsNoSorryServer() {
        List<RealServerConfig> reals = reals(1, 1, 1);
        VirtualServerConfig vs = virtualServer(3, 0, Optional.empty(), reals);

        PoolFold.Decision decision = PoolFold.fold(vs, states(reals, true, false, true), true);

        assertThat(decision.quorumChange()).contains(PoolFold.QuorumChange.LOST);
        assertThat(decision.pool().serving()).hasSize(2);
    }

    @Property
    void shouldFlipQuorumOnlyAcrossTheHysteresisBand(@ForAll @IntRange(min = 1, max = 10) int quorum,
                                                     @ForAll @IntRange(max = 5) int hysteresis,
                                                     @ForAll @Size(min = 1, max = 40) List<@IntRange(max = 8) Integer>
                                                             liveCounts) {
        List<RealServerConfig> reals = reals(1, 1, 1, 1, 1, 1, 1, 1);
        VirtualServerConfig vs = virtualServer(quorum, hysteresis, Optional.empty(), reals);
        boolean up = PoolFold.initialQuorum(vs, states(reals, true, true, true, true, true, true, true, true));
        assertThat(up).isEqualTo(8 >= quorum + hysteresis);
        for (int live : liveCounts) {
            boolean[] alive = new boolean[8];
            for (int i = 0; i < live; i++) {
                alive[i] = true;
            }
            PoolFold.Decision decision = PoolFold.fold(vs, states(reals, alive), up);
            boolean next = decision.pool().quorumUp();
            if (up) {
                assertThat(next).isEqualTo(live > 0 && live >= quorum - hysteresis);
            } else {
                assertThat(next).isEqualTo(live >= quorum + hysteresis);
            }
            assertThat(decision.quorumChange().isPresent()).isEqualTo(next != up);
            up = next;
        }
    }

    @Property
    void shouldPutExactlyTheLiveOrInhibitedRealServersInThePool(@ForAll @Size(max = 12) List<Boolean> alive,
                                                              @ForAll @Size(max = 12) List<Boolean> inhibit) {
        List<RealServerConfig> reals = new ArrayList<>();
        List<RealServerState> states = new ArrayList<>();
        for (int i = 0; i < alive.size(); i++) {
            boolean inhibited = i < inhibit.size() && inhibit.get(i);
            RealServerConfig config = real("192.0.2." + (51 + i), 80, 1 + i % 3, inhibited);
            reals.add(config);
            states.add(RealServerState.of(config, alive.get(i)));
        }
        VirtualServerConfig vs = virtualServer(1, 0, Optional.empty(), reals);

        Pool pool = PoolFold.fold(vs, states, true).pool();

        for (RealServerState state : states) {
            Optional<PoolMember> member = pool.members().stream()
                    .filter(m -> m.address().equals(state.config().address())).findFirst();
            if (state.alive()) {
                assertThat(member).hasValueSatisfying(m -> assertThat(m.weight()).isEqualTo(state.weight()));
            } else if (state.config().inhibitOnFailure()) {
                assertThat(member).hasValueSatisfying(m -> assertThat(m.weight()).isZero());
            } else {
                assertThat(member).isEmpty();
            }
        }
        assertThat(pool.liveWeight()).isEqualTo(states.stream().filter(RealServerState::alive)
                .mapToLong(RealServerState::weight).sum());
    }
}
