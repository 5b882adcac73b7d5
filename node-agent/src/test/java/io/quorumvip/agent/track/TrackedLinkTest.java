package io.quorumvip.agent.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.net.LinkMessage;
import io.quorumvip.agent.net.LinkStatus;
import io.quorumvip.agent.net.MacAddress;
import io.quorumvip.agent.net.OperState;
import io.quorumvip.agent.track.TrackedLink.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What reads and link notifications mean for one tracked interface, in memory. */
class TrackedLinkTest {

    private static final MacAddress MAC = new MacAddress(new byte[] {2, 0, 0, 0, 0, 1});

    @Test
    void shouldFollowTheTrackedInterfacesNotifications() {
        TrackedLink link = new TrackedLink("eth0", Optional.of(up("eth0", 3)));

        Verdict down = link.on(new LinkMessage.Changed(down("eth0", 3)));
        boolean upAfterDown = link.up();
        Verdict stillDown = link.on(new LinkMessage.Changed(down("eth0", 3)));
        Verdict backUp = link.on(new LinkMessage.Changed(up("eth0", 3)));

        assertThat(down).isEqualTo(Verdict.CHANGED);
        assertThat(upAfterDown).isFalse();
        assertThat(stillDown).isEqualTo(Verdict.UNCHANGED);
        assertThat(backUp).isEqualTo(Verdict.CHANGED);
        assertThat(link.up()).isTrue();
    }

    @Test
    void shouldIgnoreOtherInterfaces() {
        TrackedLink link = new TrackedLink("eth0", Optional.of(up("eth0", 3)));

        Verdict otherDown = link.on(new LinkMessage.Changed(down("eth1", 4)));
        Verdict otherRemoved = link.on(new LinkMessage.Removed(down("eth1", 4)));

        assertThat(otherDown).isEqualTo(Verdict.UNCHANGED);
        assertThat(otherRemoved).isEqualTo(Verdict.UNCHANGED);
        assertThat(link.up()).isTrue();
    }

    @Test
    void shouldCountTheInterfaceDownWhenItIsRemoved() {
        TrackedLink link = new TrackedLink("eth0", Optional.of(up("eth0", 3)));

        Verdict removed = link.on(new LinkMessage.Removed(up("eth0", 3)));

        assertThat(removed).isEqualTo(Verdict.CHANGED);
        assertThat(link.up()).isFalse();
    }

    @Test
    void shouldCountTheInterfaceDownWhenItIsRenamedAwayAndFollowTheOneThatTakesItsName() {
        TrackedLink link = new TrackedLink("eth0", Optional.of(up("eth0", 3)));

        Verdict renamed = link.on(new LinkMessage.Changed(up("wan0", 3)));
        Verdict renamedStillUp = link.on(new LinkMessage.Changed(up("wan0", 3)));
        Verdict newcomer = link.on(new LinkMessage.Changed(up("eth0", 9)));
        Verdict oldOneRemoved = link.on(new LinkMessage.Removed(up("wan0", 3)));

        assertThat(renamed).isEqualTo(Verdict.CHANGED);
        assertThat(renamedStillUp).isEqualTo(Verdict.UNCHANGED);
        assertThat(newcomer).isEqualTo(Verdict.CHANGED);
        assertThat(oldOneRemoved).isEqualTo(Verdict.UNCHANGED);
        assertThat(link.up()).isTrue();
    }

    @Test
    void shouldComeUpWhenAMissingInterfaceAppears() {
        TrackedLink link = new TrackedLink("eth0", Optional.empty());
        boolean upAtStart = link.up();

        Verdict created = link.on(new LinkMessage.Changed(up("eth0", 5)));

        assertThat(upAtStart).isFalse();
        assertThat(created).isEqualTo(Verdict.CHANGED);
        assertThat(link.up()).isTrue();
    }

    @Test
    void shouldAskForAReadWhenNotificationsWereLost() {
        TrackedLink link = new TrackedLink("eth0", Optional.of(up("eth0", 3)));

        Verdict lost = link.on(new LinkMessage.Lost("the socket's receive buffer overflowed (ENOBUFS)"));
        boolean changedByRead = link.read(Optional.of(down("eth0", 3)));
        boolean changedByUnreadable = link.read(Optional.empty());

        assertThat(lost).isEqualTo(Verdict.REREAD);
        assertThat(changedByRead).isTrue();
        assertThat(changedByUnreadable).isFalse();
        assertThat(link.up()).isFalse();
    }

    private static LinkStatus up(String device, int index) {
        return new LinkStatus(device, index, true, true, OperState.UP, MAC);
    }

    private static LinkStatus down(String device, int index) {
        return new LinkStatus(device, index, false, false, OperState.DOWN, MAC);
    }
}
