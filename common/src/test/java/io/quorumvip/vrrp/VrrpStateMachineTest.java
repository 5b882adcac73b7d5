package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpFixtures.advert;
import static io.quorumvip.vrrp.VrrpFixtures.config;
import static io.quorumvip.vrrp.VrrpFixtures.millis;
import static io.quorumvip.vrrp.VrrpFixtures.node;
import static io.quorumvip.vrrp.VrrpFixtures.v3;
import static io.quorumvip.vrrp.VrrpFixtures.withHint;
import static io.quorumvip.vrrp.VrrpFixtures.withNopreempt;
import static io.quorumvip.vrrp.VrrpFixtures.withPreemptDelay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.vrrp.VrrpOutput.ArmTimer;
import io.quorumvip.vrrp.VrrpOutput.CancelTimer;
import io.quorumvip.vrrp.VrrpOutput.SendAdvert;
import io.quorumvip.vrrp.VrrpOutput.StateChanged;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class VrrpStateMachineTest {

    /** Skew_Time of priority 100 in v2: (256 - 100) / 256 s. */
    private static final long SKEW_100 = 609_375_000L;
    /** Master_Down_Interval of priority 100, v2, advert_int 1 s. */
    private static final long DOWN_100 = 3_000_000_000L + SKEW_100;
    private static final long ONE_SECOND = 1_000_000_000L;

    private final ManualClock clock = new ManualClock(5_000_000_000L);

    private VrrpStateMachine started(VrrpConfig config) {
        VrrpStateMachine machine = new VrrpStateMachine(config);
        machine.step(new VrrpInput.Startup(), clock.nanos());
        return machine;
    }

    private VrrpStateMachine master(VrrpConfig config) {
        VrrpStateMachine machine = started(config);
        if (machine.state() == VrrpState.BACKUP) {
            machine.step(new VrrpInput.TimerFired(), clock.advanceTo(machine.timerDeadlineNanos().orElseThrow()));
        }
        assertThat(machine.state()).isEqualTo(VrrpState.MASTER);
        return machine;
    }

    private Outputs step(VrrpStateMachine machine, VrrpInput input) {
        return machine.step(input, clock.nanos());
    }

    @Nested
    class Startup {

        @Test
        void shouldGoMasterAtOnceOnStartupWhenAddressOwner() {
            VrrpStateMachine machine = new VrrpStateMachine(config(255, 11));

            Outputs out = step(machine, new VrrpInput.Startup());

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.INITIALIZE, VrrpState.MASTER, new Cause.StartedAsAddressOwner()),
                    new SendAdvert(255),
                    new ArmTimer(clock.nanos() + ONE_SECOND, VrrpTimer.ADVER_TIMER));
        }

        @Test
        void shouldStartAsBackupWithMasterDownIntervalWhenNotOwner() {
            VrrpStateMachine machine = new VrrpStateMachine(config(100, 11));

            Outputs out = step(machine, new VrrpInput.Startup());

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.INITIALIZE, VrrpState.BACKUP, new Cause.StartedUp(InitialState.BACKUP)),
                    new ArmTimer(clock.nanos() + DOWN_100, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void initialStateMasterShouldShortenTheFirstWaitButNotSkipTheElection() {
            VrrpStateMachine machine = new VrrpStateMachine(withHint(config(100, 11), InitialState.MASTER));

            Outputs out = step(machine, new VrrpInput.Startup());

            // keepalived: master_adver_int + VRRP_TIMER_SKEW_MIN, the minimum skew being 1/256 s in v2.
            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(out.ofType(ArmTimer.class)).containsExactly(
                    new ArmTimer(clock.nanos() + ONE_SECOND + 3_906_250L, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void addressOwnerWithInitialStateBackupShouldWaitTheMasterDownInterval() {
            VrrpStateMachine machine = new VrrpStateMachine(withHint(config(255, 11), InitialState.BACKUP));

            Outputs out = step(machine, new VrrpInput.Startup());

            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(out.ofType(ArmTimer.class)).containsExactly(
                    new ArmTimer(clock.nanos() + 3_000_000_000L + 3_906_250L, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void shouldRejectASecondStartup() {
            VrrpStateMachine machine = started(config(100, 11));

            assertThatThrownBy(() -> step(machine, new VrrpInput.Startup()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Startup in state BACKUP (expected INITIALIZE)");
        }
    }

    @Nested
    class Backup {

        @Test
        void backupShouldIgnoreAnEarlyAdvert() {
            VrrpStateMachine machine = started(config(100, 11));

            Outputs out = machine.step(new VrrpInput.AdvertEarly(), clock.advance(Duration.ofNanos(DOWN_100 - 1)));

            assertThat(out.items()).isEmpty();
            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void shouldBecomeMasterWhenTheMasterDownTimerFires() {
            VrrpStateMachine machine = started(config(100, 11));

            Outputs out = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofNanos(DOWN_100)));

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.BACKUP, VrrpState.MASTER, new Cause.NoMasterHeard()),
                    new SendAdvert(100),
                    new ArmTimer(clock.nanos() + ONE_SECOND, VrrpTimer.ADVER_TIMER));
        }

        @Test
        void shouldIgnoreATimerThatFiresBeforeItsDeadline() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, advert(12, 150));

            Outputs out = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofNanos(DOWN_100 - 1)));

            assertThat(out.isEmpty()).isTrue();
            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void backupShouldResetMasterDownTimerOnAdvertWithHigherPriority() {
            VrrpStateMachine machine = started(config(100, 11));
            clock.advance(Duration.ofMillis(2500));

            Outputs out = step(machine, advert(12, 150));

            assertThat(out.items()).containsExactly(
                    new ArmTimer(clock.nanos() + DOWN_100, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void backupShouldResetMasterDownTimerOnAdvertWithEqualPriority() {
            VrrpStateMachine machine = started(config(100, 11));
            clock.advance(Duration.ofMillis(2500));

            Outputs out = step(machine, advert(10, 100));

            assertThat(out.items()).containsExactly(
                    new ArmTimer(clock.nanos() + DOWN_100, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void backupShouldNameTheSilentMasterWhenItTakesOver() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, advert(12, 150));

            Outputs out = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofNanos(DOWN_100)));

            assertThat(out.ofType(StateChanged.class)).containsExactly(
                    new StateChanged(VrrpState.BACKUP, VrrpState.MASTER, new Cause.MasterSilent(node(12), 150)));
        }

        @Test
        void backupShouldLearnTheMasterAdvertIntervalInVersion3() {
            VrrpStateMachine machine = started(v3(100, 11, 100));

            Outputs out = step(machine, advert(12, 150, 50));

            // 3 * 0.5 s + (156 * 0.5 s) / 256
            assertThat(machine.masterAdverIntervalCentis()).isEqualTo(50);
            assertThat(out.items()).containsExactly(
                    new ArmTimer(clock.nanos() + 1_500_000_000L + 304_687_500L, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void backupShouldNotLearnTheAdvertIntervalInVersion2() {
            VrrpStateMachine machine = started(config(100, 11));

            Outputs out = step(machine, advert(12, 150, 300));

            assertThat(machine.masterAdverIntervalCentis()).isEqualTo(100);
            assertThat(out.items()).containsExactly(
                    new ArmTimer(clock.nanos() + DOWN_100, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void backupShouldWaitOnlySkewTimeAfterPriorityZero() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, advert(12, 150));
            clock.advance(Duration.ofMillis(300));

            Outputs released = step(machine, advert(12, 0));
            Outputs takeOver = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofNanos(SKEW_100)));

            assertThat(released.items()).containsExactly(
                    new ArmTimer(clock.nanos(), VrrpTimer.MASTER_DOWN_TIMER));
            assertThat(takeOver.ofType(StateChanged.class)).containsExactly(
                    new StateChanged(VrrpState.BACKUP, VrrpState.MASTER, new Cause.MasterReleased(node(12))));
        }

        @Test
        void backupShouldTakeOverAtOnceWhenTheReleasedMastersLeaseIsSeenFree() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, advert(12, 150));
            step(machine, advert(12, 0));
            clock.advance(Duration.ofMillis(20));

            Outputs takeOver = step(machine, new VrrpInput.TakeOver("lease free"));

            assertThat(takeOver.ofType(StateChanged.class)).containsExactly(
                    new StateChanged(VrrpState.BACKUP, VrrpState.MASTER, new Cause.TookOver("lease free")));
            assertThat(takeOver.ofType(VrrpOutput.SendAdvert.class)).containsExactly(new VrrpOutput.SendAdvert(100));
            assertThat(machine.armedTimer()).isEqualTo(VrrpTimer.ADVER_TIMER);
        }

        @Test
        void backupShouldIgnoreTakeOverUnlessItHeardTheMasterSayPriorityZero() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, advert(12, 150));

            Outputs ignored = step(machine, new VrrpInput.TakeOver("lease free"));

            assertThat(ignored.isEmpty()).isTrue();
            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void backupShouldDiscardLowerPriorityAdvertAndPreemptWhenItsTimerFires() {
            VrrpStateMachine machine = started(config(200, 11));
            long deadline = machine.timerDeadlineNanos().orElseThrow();
            clock.advance(Duration.ofMillis(1000));

            Outputs discarded = step(machine, advert(12, 100));
            long deadlineAfterDiscard = machine.timerDeadlineNanos().orElseThrow();
            Outputs takeOver = machine.step(new VrrpInput.TimerFired(), clock.advanceTo(deadline));

            assertThat(discarded.isEmpty()).isTrue();
            assertThat(deadlineAfterDiscard).isEqualTo(deadline);
            assertThat(takeOver.ofType(StateChanged.class)).containsExactly(new StateChanged(
                    VrrpState.BACKUP, VrrpState.MASTER, new Cause.PreemptedLowerPriority(node(12), 100)));
        }

        @Test
        void backupWithNopreemptShouldAcceptLowerPriorityAdvert() {
            VrrpStateMachine machine = started(withNopreempt(config(200, 11)));
            clock.advance(Duration.ofMillis(1000));

            Outputs out = step(machine, advert(12, 100));

            assertThat(out.items()).containsExactly(
                    new ArmTimer(clock.nanos() + 3_000_000_000L + 218_750_000L, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void backupShouldIgnoreTimerFiredOnceShutDown() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, new VrrpInput.Shutdown());

            Outputs out = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofNanos(DOWN_100)));

            assertThat(out.isEmpty()).isTrue();
            assertThat(machine.state()).isEqualTo(VrrpState.INITIALIZE);
        }

        @Test
        void shutdownFromBackupShouldCancelTheTimerWithoutAdvert() {
            VrrpStateMachine machine = started(config(100, 11));

            Outputs out = step(machine, new VrrpInput.Shutdown());

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.BACKUP, VrrpState.INITIALIZE, new Cause.ShutDown()),
                    new CancelTimer());
            assertThat(machine.timerDeadlineNanos()).isEmpty();
        }
    }

    @Nested
    class Master {

        @Test
        void masterShouldSendAdvertAndRearmWhenItsAdverTimerFires() {
            VrrpStateMachine machine = master(config(100, 11));

            Outputs out = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofSeconds(1)));

            assertThat(out.items()).containsExactly(
                    new SendAdvert(100),
                    new ArmTimer(clock.nanos() + ONE_SECOND, VrrpTimer.ADVER_TIMER));
        }

        @Test
        void masterShouldSendAnEarlyAdvertAndRestartItsAdverTimerFromNow() {
            VrrpStateMachine machine = master(config(100, 11));

            Outputs out = machine.step(new VrrpInput.AdvertEarly(), clock.advance(Duration.ofMillis(930)));

            assertThat(out.items()).containsExactly(
                    new SendAdvert(100),
                    new ArmTimer(clock.nanos() + ONE_SECOND, VrrpTimer.ADVER_TIMER));
        }

        @Test
        void masterShouldAdvertiseAtItsOwnIntervalInVersion3() {
            VrrpStateMachine machine = master(v3(100, 11, 25));

            Outputs out = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofMillis(250)));

            assertThat(out.ofType(ArmTimer.class)).containsExactly(
                    new ArmTimer(clock.nanos() + millis(250), VrrpTimer.ADVER_TIMER));
        }

        @Test
        void masterShouldSendAdvertAndRearmOnPriorityZero() {
            VrrpStateMachine machine = master(config(100, 11));
            clock.advance(Duration.ofMillis(400));

            Outputs out = step(machine, advert(12, 0));

            assertThat(machine.state()).isEqualTo(VrrpState.MASTER);
            assertThat(out.items()).containsExactly(
                    new SendAdvert(100),
                    new ArmTimer(clock.nanos() + ONE_SECOND, VrrpTimer.ADVER_TIMER));
        }

        @Test
        void masterShouldYieldToHigherPriorityAdvert() {
            VrrpStateMachine machine = master(config(100, 11));

            Outputs out = step(machine, advert(12, 150));

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.MASTER, VrrpState.BACKUP, new Cause.HigherPriorityAdvert(node(12), 150)),
                    new ArmTimer(clock.nanos() + DOWN_100, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void masterShouldYieldToEqualPriorityFromHigherAddress() {
            VrrpStateMachine machine = master(config(100, 11));

            step(machine, advert(12, 100));

            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void masterShouldCompareAddressesAsUnsignedBytes() {
            // 192.0.2.200 has a last byte that is negative as a signed Java byte; it still beats 192.0.2.11.
            VrrpStateMachine machine = master(config(100, 11));

            step(machine, advert(200, 100));

            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void masterShouldTreatEqualPriorityFromLowerAddressAsLower() {
            VrrpStateMachine machine = master(config(100, 200));

            Outputs out = step(machine, advert(11, 100));

            assertThat(machine.state()).isEqualTo(VrrpState.MASTER);
            assertThat(out.items()).containsExactly(new SendAdvert(100));
        }

        @Test
        void masterShouldStayMasterAndAdvertAtOnceOnLowerPriorityAdvert() {
            VrrpStateMachine machine = master(config(200, 11));
            long adverDeadline = machine.timerDeadlineNanos().orElseThrow();

            Outputs out = step(machine, advert(12, 100));

            assertThat(machine.state()).isEqualTo(VrrpState.MASTER);
            assertThat(out.items()).containsExactly(new SendAdvert(200));
            assertThat(machine.timerDeadlineNanos()).hasValue(adverDeadline);
        }

        @Test
        void masterShouldLearnTheNewMasterIntervalWhenYieldingInVersion3() {
            VrrpStateMachine machine = master(v3(100, 11, 100));

            Outputs out = step(machine, advert(12, 150, 200));

            assertThat(out.ofType(ArmTimer.class)).containsExactly(
                    new ArmTimer(clock.nanos() + 6_000_000_000L + 1_218_750_000L, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void shouldSendPriorityZeroAdvertOnShutdownFromMaster() {
            VrrpStateMachine machine = master(config(100, 11));

            Outputs out = step(machine, new VrrpInput.Shutdown());

            // The state change comes first so the agent drops the VIP before inviting a peer to take it.
            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.MASTER, VrrpState.INITIALIZE, new Cause.ShutDown()),
                    new SendAdvert(0),
                    new CancelTimer());
        }

        @Test
        void forceBackupShouldLeaveMasterWithPriorityZeroAdvert() {
            VrrpStateMachine machine = master(config(100, 11));

            Outputs out = step(machine, new VrrpInput.ForceBackup("lease unproven"));

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.MASTER, VrrpState.BACKUP, new Cause.Yielded("lease unproven")),
                    new SendAdvert(0),
                    new ArmTimer(clock.nanos() + DOWN_100, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void forceBackupShouldChangeNothingOutsideMaster() {
            VrrpStateMachine machine = started(config(100, 11));

            Outputs out = step(machine, new VrrpInput.ForceBackup("lease unproven"));

            assertThat(out.isEmpty()).isTrue();
            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);
        }
    }

    @Nested
    class Fault {

        @Test
        void faultFromMasterShouldSendPriorityZeroAdvert() {
            VrrpStateMachine machine = master(config(100, 11));

            Outputs out = step(machine, new VrrpInput.FaultRaised("script chk_http"));

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.MASTER, VrrpState.FAULT, new Cause.FaultDetected("script chk_http")),
                    new SendAdvert(0),
                    new CancelTimer());
        }

        @Test
        void faultFromBackupShouldCancelTheTimerWithoutAdvert() {
            VrrpStateMachine machine = started(config(100, 11));

            Outputs out = step(machine, new VrrpInput.FaultRaised("interface eth0"));

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.BACKUP, VrrpState.FAULT, new Cause.FaultDetected("interface eth0")),
                    new CancelTimer());
        }

        @Test
        void faultShouldIgnoreAdvertsAndTimers() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, new VrrpInput.FaultRaised("interface eth0"));

            Outputs fromAdvert = step(machine, advert(12, 0));
            Outputs fromTimer = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofSeconds(10)));

            assertThat(fromAdvert.isEmpty()).isTrue();
            assertThat(fromTimer.isEmpty()).isTrue();
            assertThat(machine.state()).isEqualTo(VrrpState.FAULT);
        }

        @Test
        void faultClearedShouldReturnToBackup() {
            VrrpStateMachine machine = master(config(100, 11));
            step(machine, new VrrpInput.FaultRaised("interface eth0"));

            Outputs out = machine.step(new VrrpInput.FaultCleared("interface eth0"), clock.advance(Duration.ofSeconds(5)));

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.FAULT, VrrpState.BACKUP, new Cause.FaultsCleared()),
                    new ArmTimer(clock.nanos() + DOWN_100, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void faultClearedShouldReturnAnAddressOwnerToMaster() {
            VrrpStateMachine machine = master(config(255, 11));
            step(machine, new VrrpInput.FaultRaised("interface eth0"));

            Outputs out = step(machine, new VrrpInput.FaultCleared("interface eth0"));

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.FAULT, VrrpState.MASTER, new Cause.FaultsCleared()),
                    new SendAdvert(255),
                    new ArmTimer(clock.nanos() + ONE_SECOND, VrrpTimer.ADVER_TIMER));
        }

        @Test
        void shouldStayInFaultUntilEveryFaultIsCleared() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, new VrrpInput.FaultRaised("interface eth0"));
            step(machine, new VrrpInput.FaultRaised("script chk_http"));

            Outputs first = step(machine, new VrrpInput.FaultCleared("interface eth0"));
            Outputs second = step(machine, new VrrpInput.FaultCleared("script chk_http"));

            assertThat(first.isEmpty()).isTrue();
            assertThat(second.ofType(StateChanged.class)).containsExactly(
                    new StateChanged(VrrpState.FAULT, VrrpState.BACKUP, new Cause.FaultsCleared()));
        }

        @Test
        void startupWithAnOutstandingFaultShouldEnterFault() {
            VrrpStateMachine machine = new VrrpStateMachine(config(255, 11));
            step(machine, new VrrpInput.FaultRaised("interface eth0"));

            Outputs out = step(machine, new VrrpInput.Startup());

            assertThat(out.items()).containsExactly(new StateChanged(
                    VrrpState.INITIALIZE, VrrpState.FAULT, new Cause.FaultDetected("interface eth0")));
            assertThat(machine.timerDeadlineNanos()).isEmpty();
        }

        @Test
        void shutdownFromFaultShouldSendNothing() {
            VrrpStateMachine machine = started(config(100, 11));
            step(machine, new VrrpInput.FaultRaised("interface eth0"));

            Outputs out = step(machine, new VrrpInput.Shutdown());

            assertThat(out.items()).containsExactly(
                    new StateChanged(VrrpState.FAULT, VrrpState.INITIALIZE, new Cause.ShutDown()));
        }
    }

    @Nested
    class Priority {

        @Test
        void priorityChangeShouldClampToOneThrough254() {
            VrrpStateMachine machine = started(config(100, 11));

            step(machine, new VrrpInput.PriorityChanged(300));
            int high = machine.effectivePriority();
            step(machine, new VrrpInput.PriorityChanged(-20));
            int low = machine.effectivePriority();

            assertThat(high).isEqualTo(254);
            assertThat(low).isEqualTo(1);
        }

        @Test
        void addressOwnerPriorityShouldNeverChange() {
            VrrpStateMachine machine = master(config(255, 11));

            Outputs out = step(machine, new VrrpInput.PriorityChanged(200));

            assertThat(out.isEmpty()).isTrue();
            assertThat(machine.effectivePriority()).isEqualTo(255);
        }

        @Test
        void masterShouldAdvertiseItsChangedPriority() {
            VrrpStateMachine machine = master(config(100, 11));
            step(machine, new VrrpInput.PriorityChanged(80));

            Outputs out = machine.step(new VrrpInput.TimerFired(), clock.advance(Duration.ofSeconds(1)));

            assertThat(out.ofType(SendAdvert.class)).containsExactly(new SendAdvert(80));
        }

        @Test
        void backupRaisingItsPriorityShouldBringTheMasterDownDeadlineForward() {
            VrrpStateMachine machine = started(config(100, 11));
            long before = machine.timerDeadlineNanos().orElseThrow();

            Outputs out = step(machine, new VrrpInput.PriorityChanged(228));

            // Skew shrinks from 156/256 s to 28/256 s.
            assertThat(out.items()).containsExactly(
                    new ArmTimer(before - 500_000_000L, VrrpTimer.MASTER_DOWN_TIMER));
        }

        @Test
        void backupLoweringItsPriorityShouldKeepItsDeadline() {
            VrrpStateMachine machine = started(config(100, 11));
            long before = machine.timerDeadlineNanos().orElseThrow();

            Outputs out = step(machine, new VrrpInput.PriorityChanged(50));

            assertThat(out.isEmpty()).isTrue();
            assertThat(machine.timerDeadlineNanos()).hasValue(before);
        }

        @Test
        void backupShouldPreemptAMasterWhosePriorityDroppedBelowItsOwn() {
            VrrpStateMachine backup = started(config(100, 11));
            step(backup, advert(12, 150));
            long deadline = backup.timerDeadlineNanos().orElseThrow();

            clock.advance(Duration.ofSeconds(1));
            Outputs discarded = step(backup, advert(12, 90));
            Outputs takeOver = backup.step(new VrrpInput.TimerFired(), clock.advanceTo(deadline));

            assertThat(discarded.isEmpty()).isTrue();
            assertThat(takeOver.ofType(StateChanged.class)).containsExactly(new StateChanged(
                    VrrpState.BACKUP, VrrpState.MASTER, new Cause.PreemptedLowerPriority(node(12), 90)));
        }
    }

    @Nested
    class PreemptDelay {

        private final VrrpConfig delayed = withPreemptDelay(config(200, 11), Duration.ofSeconds(30));

        @Test
        void preemptDelayShouldHoldOffPreemptionForItsLengthAfterStartup() {
            VrrpStateMachine machine = started(delayed);
            clock.advance(Duration.ofSeconds(29));

            Outputs accepted = step(machine, advert(12, 100));

            assertThat(accepted.ofType(ArmTimer.class)).hasSize(1);
        }

        @Test
        void preemptDelayShouldLetTheBackupPreemptOnceItHasRunOut() {
            VrrpStateMachine machine = started(delayed);
            for (int second = 0; second < 30; second++) {
                step(machine, advert(12, 100));
                clock.advance(Duration.ofSeconds(1));
            }
            long deadline = machine.timerDeadlineNanos().orElseThrow();

            Outputs discarded = step(machine, advert(12, 100));
            Outputs takeOver = machine.step(new VrrpInput.TimerFired(), clock.advanceTo(deadline));

            assertThat(discarded.isEmpty()).isTrue();
            assertThat(takeOver.ofType(StateChanged.class)).containsExactly(new StateChanged(
                    VrrpState.BACKUP, VrrpState.MASTER, new Cause.PreemptedLowerPriority(node(12), 100)));
        }

        @Test
        void preemptDelayShouldStartWhenALowerPriorityMasterIsFirstSeenAfterReenteringBackup() {
            VrrpStateMachine machine = started(delayed);
            clock.advance(Duration.ofSeconds(60));
            step(machine, advert(12, 250));
            step(machine, advert(12, 0));
            machine.step(new VrrpInput.TimerFired(), clock.advanceTo(machine.timerDeadlineNanos().orElseThrow()));
            step(machine, advert(13, 250));
            assertThat(machine.state()).isEqualTo(VrrpState.BACKUP);

            clock.advance(Duration.ofSeconds(100));
            Outputs opensWindow = step(machine, advert(13, 100));
            clock.advance(Duration.ofSeconds(29));
            Outputs insideWindow = step(machine, advert(13, 100));
            clock.advance(Duration.ofSeconds(1));
            Outputs afterWindow = step(machine, advert(13, 100));

            assertThat(opensWindow.ofType(ArmTimer.class)).hasSize(1);
            assertThat(insideWindow.ofType(ArmTimer.class)).hasSize(1);
            assertThat(afterWindow.isEmpty()).isTrue();
        }

        @Test
        void higherPriorityAdvertShouldStopThePreemptDelay() {
            VrrpStateMachine machine = started(delayed);
            clock.advance(Duration.ofSeconds(20));
            step(machine, advert(12, 250));

            clock.advance(Duration.ofSeconds(20));
            Outputs restartsWindow = step(machine, advert(12, 100));

            // Past the start-up window, but the higher advert stopped it: a lower one opens a fresh window.
            assertThat(restartsWindow.ofType(ArmTimer.class)).hasSize(1);
        }
    }
}
