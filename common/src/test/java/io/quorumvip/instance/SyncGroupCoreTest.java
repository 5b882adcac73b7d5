package io.quorumvip.instance;

import static io.quorumvip.instance.CoreDriver.MILLI;
import static io.quorumvip.instance.CoreDriver.SECOND;
import static io.quorumvip.instance.CoreDriver.SESSION;
import static io.quorumvip.instance.CoreDriver.ENSEMBLE_TICK;
import static io.quorumvip.instance.CoreDriver.SESSION_TIMEOUT;
import static io.quorumvip.instance.CoreDriver.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.track.TrackerStatus;
import io.quorumvip.vrrp.InitialState;
import io.quorumvip.vrrp.VrrpConfig;
import io.quorumvip.vrrp.VrrpState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The NAT sample's group (front and back) on one node, on a fake clock, with an effector that answers every
 * effect at once; the latches are granted by the test.
 */
class SyncGroupCoreTest {

    private static final String FRONT = "front";
    private static final String BACK = "back";

    /** One member: its core, its timer, whether its addresses are in the (fake) kernel and until when. */
    private static final class Member {
        final InstanceCore core;
        OptionalLong timer = OptionalLong.empty();
        boolean bound;
        long lifetimeEnd;
        final List<InstanceEffect> effects = new ArrayList<>();

        Member(InstanceCore core) {
            this.core = core;
        }
    }

    private final Map<String, Member> members = new LinkedHashMap<>();
    private final List<String> notified = new ArrayList<>();
    private final List<SyncGroupCore.Notify> notifies = new ArrayList<>();
    private SyncGroupCore group;
    private long now = 1_000 * SECOND;
    private boolean draining;

    private void build(TrackerStatus... frontTrackers) {
        build(true, InitialState.BACKUP, frontTrackers);
    }

    private void build(boolean leased, InitialState initial, TrackerStatus... frontTrackers) {
        members.put(FRONT, new Member(new InstanceCore(new InstanceSettings(FRONT, config(61, initial), leased,
                List.of("192.0.2.220/24"), List.of(frontTrackers)))));
        members.put(BACK, new Member(new InstanceCore(new InstanceSettings(BACK, config(62, initial), leased,
                List.of("198.51.100.1/24"), List.of()))));
        group = new SyncGroupCore("lvs_nat", List.of(FRONT, BACK), leased);
        for (SyncGroupCore.Feed feed : group.beforeStart()) {
            step(feed.member(), feed.input());
        }
        for (String name : members.keySet()) {
            step(name, new InstanceInput.Start());
            step(name, new InstanceInput.SessionStarted(SESSION, SESSION_TIMEOUT, ENSEMBLE_TICK));
        }
    }

    private static VrrpConfig config(int vrid, InitialState initial) {
        return new VrrpConfig(vrid, 150, 2, 100, true, Duration.ZERO, initial, address(11));
    }

    /** Steps a member, answers its effects, then relays what the group says, one output at a time. */
    private void step(String name, InstanceInput input) {
        Member member = members.get(name);
        List<InstanceInput> answers = new ArrayList<>();
        for (InstanceEffect effect : member.core.step(input, now)) {
            member.effects.add(effect);
            answer(member, effect).ifPresent(answers::add);
        }
        group.observed(name, member.core.member()).forEach(f -> step(f.member(), f.input()));
        for (InstanceInput answer : answers) {
            step(name, answer);
        }
        drain();
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (Optional<SyncGroupCore.Output> next = group.next(now); next.isPresent(); next = group.next(now)) {
                if (next.get() instanceof SyncGroupCore.Feed feed) {
                    step(feed.member(), feed.input());
                } else if (next.get() instanceof SyncGroupCore.Notify notify) {
                    notified.add(notify.state());
                    notifies.add(notify);
                }
            }
        } finally {
            draining = false;
        }
    }

    private Optional<InstanceInput> answer(Member member, InstanceEffect effect) {
        if (effect instanceof InstanceEffect.SetTimer set) {
            member.timer = OptionalLong.of(set.deadlineNanos());
        } else if (effect instanceof InstanceEffect.CancelTimer) {
            member.timer = OptionalLong.empty();
        } else if (effect instanceof InstanceEffect.WriteAhead) {
            return Optional.of(new InstanceInput.WriteAheadDone(true, ""));
        } else if (effect instanceof InstanceEffect.Bind bind) {
            long seconds = bind.lifetimeSeconds().isPresent() ? bind.lifetimeAt(now) : 0;
            member.bound = true;
            member.lifetimeEnd = now + seconds * SECOND;
            return Optional.of(new InstanceInput.BindDone(seconds));
        } else if (effect instanceof InstanceEffect.Release) {
            member.bound = false;
            return Optional.of(new InstanceInput.ReleaseDone());
        } else if (effect instanceof InstanceEffect.Withdraw) {
            return Optional.of(new InstanceInput.LatchGone());
        }
        return Optional.empty();
    }

    /** Moves the clock, firing each member's timer at its deadline, earliest first. */
    private void advanceTo(long until) {
        while (true) {
            String due = null;
            long earliest = 0;
            for (Map.Entry<String, Member> e : members.entrySet()) {
                OptionalLong timer = e.getValue().timer;
                if (timer.isPresent() && timer.getAsLong() - until <= 0
                        && (due == null || timer.getAsLong() - earliest < 0)) {
                    due = e.getKey();
                    earliest = timer.getAsLong();
                }
            }
            if (due == null) {
                break;
            }
            now = Math.max(now, earliest);
            members.get(due).timer = OptionalLong.empty();
            step(due, new InstanceInput.TimerFired());
        }
        now = until;
    }

    private void advanceBy(long nanos) {
        advanceTo(now + nanos);
    }

    private void grantLease(String name) {
        step(name, new InstanceInput.LatchAcquired(SESSION, 7, now));
    }

    private void confirm(String name, long sentNanos) {
        step(name, new InstanceInput.ConfirmationAnswered(SESSION, sentNanos));
    }

    private VrrpState state(String name) {
        return members.get(name).core.state();
    }

    private boolean bound(String name) {
        return members.get(name).bound;
    }

    private void bothOwning() {
        advanceBy(5 * SECOND);
        grantLease(FRONT);
        grantLease(BACK);
        assertThat(bound(FRONT)).isTrue();
        assertThat(bound(BACK)).isTrue();
    }

    @Test
    void shouldOwnNoAddressUntilEveryMemberIsMasterWithItsLease() {
        build();
        advanceBy(5 * SECOND);
        assertThat(state(FRONT)).isEqualTo(VrrpState.MASTER);
        assertThat(state(BACK)).isEqualTo(VrrpState.MASTER);

        grantLease(FRONT);

        assertThat(bound(FRONT)).isFalse();
        assertThat(members.get(FRONT).effects).noneMatch(InstanceEffect.WriteAhead.class::isInstance);

        grantLease(BACK);

        assertThat(bound(FRONT)).isTrue();
        assertThat(bound(BACK)).isTrue();
        assertThat(notified).containsExactly("BACKUP", "MASTER");
        assertThat(notifies.get(0).from()).isEmpty();
        assertThat(notifies.get(1).from()).isEqualTo("BACKUP");
    }

    @Test
    void shouldOwnAtOnceWithoutALeaseWhenBothMembersStartAsMaster() {
        build(false, InitialState.MASTER);
        advanceBy(5 * SECOND);

        assertThat(state(FRONT)).isEqualTo(VrrpState.MASTER);
        assertThat(state(BACK)).isEqualTo(VrrpState.MASTER);
        assertThat(bound(FRONT)).isTrue();
        assertThat(bound(BACK)).isTrue();
    }

    @Test
    void shouldBecomeMasterOnlyTogetherWhileAnotherMemberStillHearsItsMaster() {
        build();
        // back keeps hearing another node's master; front hears nothing.
        for (int i = 0; i < 10; i++) {
            step(BACK, new InstanceInput.AdvertReceived(address(12), 200, 100));
            advanceBy(SECOND);
        }
        assertThat(state(FRONT)).isEqualTo(VrrpState.BACKUP);
        assertThat(members.get(FRONT).core.member().wantsMaster()).isTrue();
        assertThat(members.get(FRONT).effects).noneMatch(InstanceEffect.Contend.class::isInstance);

        advanceBy(5 * SECOND);

        assertThat(state(FRONT)).isEqualTo(VrrpState.MASTER);
        assertThat(state(BACK)).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void shouldTakeEveryMemberToBackupWhenOneHearsAHigherPriorityMaster() {
        build();
        bothOwning();

        step(FRONT, new InstanceInput.AdvertReceived(address(12), 200, 100));

        assertThat(state(FRONT)).isEqualTo(VrrpState.BACKUP);
        assertThat(state(BACK)).isEqualTo(VrrpState.BACKUP);
        assertThat(bound(FRONT)).isFalse();
        assertThat(bound(BACK)).isFalse();
        assertThat(members.get(BACK).effects).contains(new InstanceEffect.SendAdvert(0));
        assertThat(notified).last().isEqualTo("BACKUP");
        assertThat(notifies).last().isEqualTo(new SyncGroupCore.Notify("BACKUP", "MASTER", FRONT, VrrpState.BACKUP));

        // back hears no master now, but front does: back stays BACKUP instead of taking over alone.
        for (int i = 0; i < 10; i++) {
            step(FRONT, new InstanceInput.AdvertReceived(address(12), 200, 100));
            advanceBy(SECOND);
        }
        assertThat(state(BACK)).isEqualTo(VrrpState.BACKUP);
        assertThat(bound(BACK)).isFalse();
    }

    @Test
    void shouldPutTheOtherMembersInFaultWhileOneHasAFaultOfItsOwn() {
        build(new TrackerStatus("interface eth0", 0, true));
        bothOwning();

        step(FRONT, new InstanceInput.TrackerChanged("interface eth0", false));

        assertThat(state(FRONT)).isEqualTo(VrrpState.FAULT);
        assertThat(state(BACK)).isEqualTo(VrrpState.FAULT);
        assertThat(bound(BACK)).isFalse();
        assertThat(notified).last().isEqualTo("FAULT");
        // The cause is the member with the fault of its own, not the one the group then took along.
        assertThat(notifies).last().isEqualTo(new SyncGroupCore.Notify("FAULT", "MASTER", FRONT, VrrpState.FAULT));

        step(FRONT, new InstanceInput.TrackerChanged("interface eth0", true));
        advanceBy(5 * SECOND);

        assertThat(state(FRONT)).isEqualTo(VrrpState.MASTER);
        assertThat(state(BACK)).isEqualTo(VrrpState.MASTER);
        assertThat(notifies).last().satisfies(n -> {
            assertThat(n.state()).isEqualTo("MASTER");
            assertThat(n.memberState()).isEqualTo(VrrpState.MASTER);
        });
    }

    @Test
    void shouldReleaseEveryMemberByTheEarliestValidUntilOfTheGroup() {
        build();
        bothOwning();
        long backSent = now;
        long backValidUntil = members.get(BACK).core.member().validUntilNanos();

        // front's lease keeps being confirmed; back's is not (its confirmations stop arriving).
        for (int i = 0; i < 20; i++) {
            advanceBy(500 * MILLI);
            confirm(FRONT, now);
        }

        assertThat(backValidUntil).isGreaterThan(backSent);
        assertThat(bound(FRONT)).isFalse();
        assertThat(bound(BACK)).isFalse();
        assertThat(members.get(FRONT).lifetimeEnd).isLessThanOrEqualTo(backValidUntil);
    }

    @Test
    void shouldGiveEachMemberAKernelLifetimeEndingByTheOthersValidUntil() {
        build();
        advanceBy(5 * SECOND);
        grantLease(BACK);
        long backValidUntil = members.get(BACK).core.member().validUntilNanos();
        advanceBy(900 * MILLI);
        grantLease(FRONT);

        assertThat(bound(FRONT)).isTrue();
        assertThat(members.get(FRONT).lifetimeEnd).isLessThanOrEqualTo(backValidUntil);
    }
}
