package io.quorumvip.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.ownership.RoleInput;
import org.junit.jupiter.api.Test;

class ReplayStateTest {

    private final ReplayState state = new ReplayState();
    private long seq;

    private void apply(long epoch, Event event) {
        seq++;
        state.apply(new EventRecord("node-11", seq, 1_000 * seq, seq, seq, epoch, Cause.NONE, Hash256.ZERO, event));
    }

    private InstanceView instance() {
        return state.view().nodes().get("node-11").instances().get("VI_1");
    }

    @Test
    void shouldTrackRoleLeaseAndVipThroughAGainAndARelease() {
        apply(0, new Event.AgentStarted("0.1.0"));
        apply(0, new Event.VrrpStateChanged("VI_1", 51, RoleInput.BACKUP, RoleInput.MASTER));
        apply(77, new Event.LeaseAcquired("VI_1", 9, 1_000));
        apply(0, new Event.VipBound("VI_1", "192.0.2.200", 2));

        assertThat(instance().state()).isEqualTo(RoleInput.MASTER);
        assertThat(instance().lease()).isEqualTo(LeaseStatus.HELD);
        assertThat(instance().leaseEpoch()).isEqualTo(77);
        assertThat(instance().vips()).containsExactly("192.0.2.200");

        apply(0, new Event.VipReleased("VI_1", "192.0.2.200"));
        apply(77, new Event.LeaseLost("VI_1", 9));
        assertThat(instance().vipOwned()).isFalse();
        assertThat(instance().lease()).isEqualTo(LeaseStatus.LOST);
    }

    @Test
    void shouldResetRoleAndLeaseWhenTheAgentStartsAgainAfterACrash() {
        apply(0, new Event.AgentStarted("0.1.0"));
        apply(0, new Event.VrrpStateChanged("VI_1", 51, RoleInput.BACKUP, RoleInput.MASTER));
        apply(5, new Event.LeaseAcquired("VI_1", 9, 1_000));
        apply(0, new Event.AgentStarted("0.1.0"));

        assertThat(instance().state()).isEqualTo(RoleInput.INITIALIZE);
        assertThat(instance().lease()).isEqualTo(LeaseStatus.NONE);
    }

    @Test
    void shouldRoundTripThroughItsView() {
        apply(0, new Event.AgentStarted("0.1.0"));
        apply(0, new Event.TrackerResultChanged("chk_nginx", false, "exit 1"));
        apply(0, new Event.MalformedPacketBurst("eth0", "BAD_CHECKSUM", 12));
        apply(3, new Event.LeaseAcquired("VI_1", 9, 1_000));

        assertThat(ReplayState.of(state.view()).view()).isEqualTo(state.view());
        assertThat(state.view().nodes().get("node-11").malformedPackets()).isEqualTo(12);
    }
}
