package io.quorumvip.instance;

import static io.quorumvip.instance.CoreDriver.MILLI;
import static io.quorumvip.instance.CoreDriver.SECOND;
import static io.quorumvip.instance.CoreDriver.SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Event;
import io.quorumvip.lease.KernelLifetime;
import io.quorumvip.lease.LeaseTiming;
import io.quorumvip.track.TrackerStatus;
import io.quorumvip.vrrp.VrrpState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InstanceCoreTest {

    private static final long VALIDITY = LeaseTiming.of(Duration.ofNanos(CoreDriver.SESSION_TIMEOUT),
            Duration.ofNanos(CoreDriver.ENSEMBLE_TICK))
            .validUntil(0);

    @Test
    void shouldContendWhenBecomingMasterAndNotBindWithoutTheLease() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();

        assertThat(driver.core().state()).isEqualTo(VrrpState.MASTER);
        assertThat(driver.all(InstanceEffect.Contend.class)).hasSize(1);
        assertThat(driver.all(InstanceEffect.WriteAhead.class)).isEmpty();
        assertThat(driver.all(InstanceEffect.Bind.class)).isEmpty();
    }

    @Test
    void shouldBindOnlyAfterTheWriteAheadIsDurable() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        long sent = driver.now();

        List<InstanceEffect> acquired = driver.step(new InstanceInput.LatchAcquired(SESSION, 7, sent));

        assertThat(acquired).anyMatch(e -> e instanceof InstanceEffect.WriteAhead w
                && w.events().get(0) instanceof Event.VipBindIntended);
        assertThat(acquired).noneMatch(InstanceEffect.Bind.class::isInstance);

        List<InstanceEffect> written = driver.step(new InstanceInput.WriteAheadDone(true, ""));

        assertThat(written).filteredOn(InstanceEffect.Bind.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((InstanceEffect.Bind) e).lifetimeSeconds()).hasValue(4));
    }

    @Test
    void shouldNotBindWhenTheJournalCannotWriteAheadAndSaySo() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        driver.step(new InstanceInput.LatchAcquired(SESSION, 7, driver.now()));

        List<InstanceEffect> refused = driver.step(new InstanceInput.WriteAheadDone(false, "disk full"));

        assertThat(refused).noneMatch(InstanceEffect.Bind.class::isInstance);
        assertThat(refused).anyMatch(e -> e instanceof InstanceEffect.ReportError r && r.what().equals("journal")
                && r.detail().contains("disk full"));
    }

    @Test
    void shouldReleaseByValidUntilWhenConfirmationsStop() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        long sent = driver.now();
        bindLeased(driver, sent);

        driver.advanceBy(10 * SECOND);

        List<CoreDriver.Timed> releases = driver.timed(InstanceEffect.Release.class);
        assertThat(releases).last().satisfies(t -> assertThat(t.atNanos()).isLessThanOrEqualTo(sent + VALIDITY));
        assertThat(driver.core().state()).isEqualTo(VrrpState.FAULT);
        assertThat(driver.all(InstanceEffect.Journal.class))
                .anyMatch(j -> j.event() instanceof Event.LeaseConfirmationLapsed);
    }

    @Test
    void shouldGiveTheKernelALifetimeThatEndsWithinTheLease() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        long sent = driver.now();
        bindLeased(driver, sent);
        driver.advanceBy(300 * MILLI);

        driver.step(new InstanceInput.ConfirmationAnswered(SESSION, driver.now()));
        driver.advanceBy(3 * SECOND);

        for (CoreDriver.Timed bind : driver.timed(InstanceEffect.Bind.class)) {
            InstanceEffect.Bind b = (InstanceEffect.Bind) bind.effect();
            assertThat(bind.atNanos() + b.lifetimeSeconds().getAsLong() * SECOND)
                    .isLessThanOrEqualTo(sent + 300 * MILLI + VALIDITY);
        }
        assertThat(driver.timed(InstanceEffect.Bind.class)).hasSizeGreaterThan(1);
    }

    @Test
    void shouldRenewTheKernelLifetimeOnlyAsItNearsItsEndAndAlwaysBeforeIt() {
        CoreDriver driver = CoreDriver.leased(150);
        long validUntil = driver.startAsMaster() + VALIDITY;
        bindLeased(driver, driver.now());
        Renewals renewals = new Renewals(driver.timed(InstanceEffect.Bind.class).size(), driver.now() + 4 * SECOND);

        for (int confirmation = 0; confirmation < 80; confirmation++) {
            long sent = driver.now();
            driver.advanceBy(250 * MILLI);
            renewals.checkAndAcknowledge(driver, validUntil);
            driver.step(new InstanceInput.ConfirmationAnswered(SESSION, sent));
            validUntil = sent + VALIDITY;
            renewals.checkAndAcknowledge(driver, validUntil);
        }

        // 20 s of confirmations: one renewal every 2 to 3 s, where renewing as soon as it extends took one a second.
        assertThat(renewals.count).isBetween(6, 10);
    }

    /** The renewals a test saw: each must come before the lifetime it renews ends, and end within the lease. */
    private static final class Renewals {
        private int seen;
        private long lifetimeEnd;
        private int count;

        Renewals(int seen, long lifetimeEnd) {
            this.seen = seen;
            this.lifetimeEnd = lifetimeEnd;
        }

        void checkAndAcknowledge(CoreDriver driver, long validUntil) {
            List<CoreDriver.Timed> binds = driver.timed(InstanceEffect.Bind.class);
            if (binds.size() == seen) {
                return;
            }
            assertThat(binds.size()).isEqualTo(seen + 1);
            CoreDriver.Timed bind = binds.get(seen);
            long seconds = ((InstanceEffect.Bind) bind.effect()).lifetimeSeconds().getAsLong();
            assertThat(bind.atNanos()).isLessThan(lifetimeEnd);
            assertThat(bind.atNanos() + seconds * SECOND).isLessThanOrEqualTo(validUntil);
            driver.step(new InstanceInput.BindDone(seconds));
            lifetimeEnd = bind.atNanos() + seconds * SECOND;
            seen = binds.size();
            count++;
        }
    }

    @Test
    void shouldProgramAShorterLifetimeWhenPausedBeforeTheKernelAnswered() {
        CoreDriver driver = CoreDriver.leased(150);
        long sent = driver.startAsMaster();
        acquireAndWriteAhead(driver, sent);
        driver.clear();

        driver.advanceTo(sent + 1_500 * MILLI);
        List<InstanceEffect> answered = driver.step(new InstanceInput.BindDone(4));

        assertThat(answered).filteredOn(InstanceEffect.Bind.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((InstanceEffect.Bind) e).lifetimeSeconds()).hasValue(3));
    }

    @Test
    void shouldReleaseWhenPausedSoLongThatNoWholeSecondIsLeft() {
        CoreDriver driver = CoreDriver.leased(150);
        long sent = driver.startAsMaster();
        acquireAndWriteAhead(driver, sent);

        long late = sent + VALIDITY - 500 * MILLI;
        List<InstanceEffect> answered = driver.core().step(new InstanceInput.BindDone(4), late);

        assertThat(answered).anyMatch(InstanceEffect.Release.class::isInstance);
        assertThat(answered).noneMatch(InstanceEffect.Announce.class::isInstance);
    }

    @Test
    void shouldReleaseWhenTheEffectorFoundNoWholeSecondLeftAtItsCall() {
        CoreDriver driver = CoreDriver.leased(150);
        long sent = driver.startAsMaster();
        List<InstanceEffect> written = acquireAndWriteAhead(driver, sent);
        InstanceEffect.Bind bind = (InstanceEffect.Bind) written.stream()
                .filter(InstanceEffect.Bind.class::isInstance).findFirst().orElseThrow();

        assertThat(bind.lifetimeAt(sent)).isEqualTo(4);
        assertThat(bind.lifetimeAt(sent + 2 * SECOND)).isEqualTo(2);
        assertThat(bind.lifetimeAt(sent + VALIDITY - 500 * MILLI)).isZero();
        List<InstanceEffect> answered = driver.step(new InstanceInput.BindDone(0));
        assertThat(answered).anyMatch(InstanceEffect.Release.class::isInstance);
        assertThat(answered).noneMatch(InstanceEffect.Announce.class::isInstance);
    }

    @Test
    void shouldRetryAFailedReleaseAndKeepTheLatchUntilTheKernelConfirms() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        bindLeased(driver, driver.now());
        driver.clear();

        driver.step(new InstanceInput.TrackerChanged("none", false));
        List<InstanceEffect> leaving = driver.step(new InstanceInput.AdvertReceived(CoreDriver.address(12), 200,
                100));
        assertThat(leaving).anyMatch(InstanceEffect.Release.class::isInstance);

        List<InstanceEffect> failed = driver.step(new InstanceInput.ReleaseFailed("EBUSY"));
        assertThat(failed).anyMatch(e -> e instanceof InstanceEffect.ReportError r && r.what().equals("release"));
        assertThat(failed).noneMatch(InstanceEffect.Withdraw.class::isInstance);

        driver.advanceBy(InstanceCore.RELEASE_RETRY_NANOS);
        assertThat(driver.all(InstanceEffect.Release.class)).hasSize(2);
        assertThat(driver.all(InstanceEffect.Withdraw.class)).isEmpty();

        List<InstanceEffect> done = driver.step(new InstanceInput.ReleaseDone());
        assertThat(done).anyMatch(InstanceEffect.Withdraw.class::isInstance);
    }

    @Test
    void shouldSendPriorityZeroOnlyAfterTheLatchIsGone() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        bindLeased(driver, driver.now());
        driver.clear();

        driver.step(new InstanceInput.Shutdown());
        driver.step(new InstanceInput.ReleaseDone());
        assertThat(driver.all(InstanceEffect.Withdraw.class)).hasSize(1);
        assertThat(driver.all(InstanceEffect.SendAdvert.class)).isEmpty();

        List<InstanceEffect> gone = driver.step(new InstanceInput.LatchGone());

        assertThat(gone).containsSubsequence(new InstanceEffect.SendAdvert(0), new InstanceEffect.Stopped());
        assertThat(driver.indexOf(InstanceEffect.Release.class))
                .isLessThan(driver.indexOf(InstanceEffect.Withdraw.class));
    }

    @Test
    void shouldSendPriorityZeroAfterItsBoundWhenTheLatchDeletionHangs() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        bindLeased(driver, driver.now());
        driver.step(new InstanceInput.Shutdown());
        driver.step(new InstanceInput.ReleaseDone());
        driver.clear();

        driver.advanceBy(InstanceCore.PRIORITY_ZERO_BOUND_NANOS);

        assertThat(driver.all(InstanceEffect.SendAdvert.class)).containsExactly(new InstanceEffect.SendAdvert(0));
        assertThat(driver.all(InstanceEffect.Stopped.class)).as("the session's close deletes the latch node")
                .hasSize(1);
    }

    @Test
    void shouldStopWithinItsBoundWhenAnEarlierWithdrawalIsNeverConfirmed() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        bindLeased(driver, driver.now());
        driver.step(new InstanceInput.AdvertReceived(CoreDriver.address(12), 200, 100));
        driver.step(new InstanceInput.ReleaseDone());
        assertThat(driver.all(InstanceEffect.Withdraw.class)).hasSize(1);
        driver.advanceBy(SECOND);

        driver.step(new InstanceInput.Shutdown());
        assertThat(driver.all(InstanceEffect.Stopped.class)).isEmpty();
        driver.advanceBy(InstanceCore.PRIORITY_ZERO_BOUND_NANOS);

        assertThat(driver.all(InstanceEffect.Stopped.class)).hasSize(1);
    }

    @Test
    void shouldTakeOverAtOnceWhenTheLeavingMastersLatchIsFree() {
        CoreDriver driver = CoreDriver.leased(100);
        driver.step(new InstanceInput.Start());
        driver.step(new InstanceInput.ReleaseDone());
        driver.step(new InstanceInput.SessionStarted(SESSION, CoreDriver.SESSION_TIMEOUT, CoreDriver.ENSEMBLE_TICK));
        driver.step(new InstanceInput.AdvertReceived(CoreDriver.address(12), 150, 100));
        driver.advanceBy(SECOND);

        List<InstanceEffect> released = driver.step(new InstanceInput.AdvertReceived(CoreDriver.address(12), 0,
                100));
        assertThat(released).contains(new InstanceEffect.CheckLatchFree());
        driver.step(new InstanceInput.LatchFree(false));
        driver.advanceBy(InstanceCore.LATCH_FREE_RETRY_NANOS);
        assertThat(driver.all(InstanceEffect.CheckLatchFree.class)).hasSize(2);

        driver.step(new InstanceInput.LatchFree(true));

        assertThat(driver.core().state()).isEqualTo(VrrpState.MASTER);
        assertThat(driver.all(InstanceEffect.Contend.class)).hasSize(1);
    }

    @Test
    void shouldReachTheOperatorWhenTheLatchCannotStart() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();

        List<InstanceEffect> failed = driver.step(new InstanceInput.LatchStartFailed("KeeperException NOAUTH"));

        assertThat(failed).anyMatch(e -> e instanceof InstanceEffect.ReportError r && r.what().equals("latch")
                && r.detail().contains("NOAUTH"));
        assertThat(failed).anyMatch(e -> e instanceof InstanceEffect.Journal j
                && j.event() instanceof Event.FaultEntered f && f.reason().contains("latch"));
        assertThat(driver.core().state()).isEqualTo(VrrpState.FAULT);

        driver.step(new InstanceInput.ConfirmationAnswered(SESSION, driver.now()));
        assertThat(driver.core().state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void shouldGoToFaultAndReleaseWhenTheSessionIsLost() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        bindLeased(driver, driver.now());

        List<InstanceEffect> lost = driver.step(new InstanceInput.SessionLost());

        assertThat(lost).anyMatch(InstanceEffect.Release.class::isInstance);
        assertThat(lost).anyMatch(e -> e instanceof InstanceEffect.Journal j && j.event() instanceof Event.LeaseLost);
        assertThat(driver.core().state()).isEqualTo(VrrpState.FAULT);
    }

    @Test
    void shouldNotCountAConfirmationFromAnotherSession() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        long sent = driver.now();
        bindLeased(driver, sent);

        driver.advanceBy(SECOND);
        driver.step(new InstanceInput.ConfirmationAnswered(SESSION + 1, driver.now()));
        driver.advanceTo(sent + VALIDITY);

        assertThat(driver.core().view(driver.now()).validForNanos()).isZero();
        assertThat(driver.timed(InstanceEffect.Release.class)).last()
                .satisfies(t -> assertThat(t.atNanos()).isLessThanOrEqualTo(sent + VALIDITY));
    }

    @Test
    void shouldBindWithoutLifetimeOrLatchWhenNoQuorumIsConfigured() {
        CoreDriver driver = CoreDriver.unleased(150);
        driver.step(new InstanceInput.Start());
        driver.step(new InstanceInput.ReleaseDone());
        driver.advanceBy(5 * SECOND);
        driver.step(new InstanceInput.WriteAheadDone(true, ""));

        assertThat(driver.all(InstanceEffect.Contend.class)).isEmpty();
        assertThat(driver.all(InstanceEffect.Bind.class)).singleElement()
                .satisfies(b -> assertThat(b.lifetimeSeconds()).isEmpty());
    }

    @Test
    void shouldEnterFaultWhenATrackerWithoutWeightFails() {
        CoreDriver tracked = CoreDriver.leased(150, new TrackerStatus("chk_http", 0, true));
        tracked.step(new InstanceInput.Start());
        tracked.step(new InstanceInput.TrackerChanged("chk_http", false));

        assertThat(tracked.core().state()).isEqualTo(VrrpState.FAULT);
        assertThat(tracked.all(InstanceEffect.Notify.class)).last()
                .isEqualTo(new InstanceEffect.Notify("FAULT", 150));
    }

    @Test
    void shouldRemoveAddressesAndRetryFromTheWriteAheadWhenABindFails() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        driver.step(new InstanceInput.LatchAcquired(SESSION, 7, driver.now()));
        driver.step(new InstanceInput.WriteAheadDone(true, ""));

        List<InstanceEffect> failed = driver.step(new InstanceInput.BindFailed("ENODEV"));
        assertThat(failed).anyMatch(InstanceEffect.Release.class::isInstance);
        driver.step(new InstanceInput.ReleaseDone());
        driver.step(new InstanceInput.ConfirmationAnswered(SESSION, driver.now()));

        assertThat(driver.all(InstanceEffect.WriteAhead.class)).hasSize(2);
    }

    /** Acquires the latch with a request sent at {@code sent} and acknowledges the write-ahead: the bind is out. */
    private static List<InstanceEffect> acquireAndWriteAhead(CoreDriver driver, long sent) {
        driver.step(new InstanceInput.LatchAcquired(SESSION, 7, sent));
        return driver.step(new InstanceInput.WriteAheadDone(true, ""));
    }

    /** Acquires the latch with a request sent at {@code sent} and acknowledges the write-ahead and the bind. */
    @Test
    void shouldKeepOwningOnOfferedConfirmationsTakenOnlyAtItsOwnSteps() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        bindLeased(driver, driver.now());
        int acknowledged = driver.timed(InstanceEffect.Bind.class).size();
        int offered = 0;
        long latestSent = driver.now();
        TreeMap<Long, Long> givenAt = new TreeMap<>(Map.of(driver.now(), latestSent));

        for (int answer = 0; answer < 80; answer++) {
            long sent = driver.now();
            driver.advanceBy(250 * MILLI);
            acknowledged = acknowledgeBinds(driver, acknowledged);
            InstanceInput.ConfirmationAnswered answered = new InstanceInput.ConfirmationAnswered(SESSION, sent);
            if (driver.core().confirmationUrgent(answered, driver.now())) {
                driver.step(answered);
                acknowledged = acknowledgeBinds(driver, acknowledged);
            } else {
                driver.core().offer(answered);
                offered++;
            }
            latestSent = sent;
            givenAt.put(driver.now(), sent);
        }

        // Deadlines (adverts, renewals, validity) took the offers: no lapse, and every lifetime ended within the
        // validity of an answer the core had been given.
        // Only answers that renew at once or bring the renewal forward are stepped; the rest offered.
        assertThat(offered).isBetween(40, 70);
        assertThat(driver.core().state()).isEqualTo(VrrpState.MASTER);
        assertThat(driver.core().view(driver.now()).bound()).isTrue();
        assertThat(driver.all(InstanceEffect.Journal.class))
                .noneMatch(j -> j.event() instanceof Event.LeaseConfirmationLapsed);
        assertThat(driver.timed(InstanceEffect.Bind.class)).hasSizeGreaterThan(5).allSatisfy(t -> assertThat(
                t.atNanos() + ((InstanceEffect.Bind) t.effect()).lifetimeSeconds().getAsLong() * SECOND)
                .isLessThanOrEqualTo(givenAt.floorEntry(t.atNanos()).getValue() + VALIDITY));
        assertThat(latestSent + VALIDITY).isGreaterThan(driver.now());
    }

    @Test
    void shouldTakeAnOfferedConfirmationBeforeTheInputOfItsNextStep() {
        CoreDriver driver = CoreDriver.leased(150);
        long sent = driver.startAsMaster();
        bindLeased(driver, sent);
        long later = sent + 2 * SECOND;
        driver.core().offer(new InstanceInput.ConfirmationAnswered(SESSION, later));

        assertThat(driver.core().view(driver.now()).validForNanos()).isEqualTo(VALIDITY);
        driver.step(new InstanceInput.AdvertReceived(CoreDriver.address(12), 100, 100));

        assertThat(driver.core().view(driver.now()).validForNanos()).isEqualTo(later + VALIDITY - driver.now());
    }

    @Test
    void shouldNeedAnAnswerAtOnceOnlyWhenItCanChangeWhatTheInstanceDoesNow() {
        CoreDriver owner = CoreDriver.leased(150);
        long acquired = owner.startAsMaster();
        owner.step(new InstanceInput.LatchAcquired(SESSION, 7, acquired));
        assertThat(owner.core().confirmationUrgent(answer(acquired + MILLI), owner.now())).isTrue();
        owner.step(new InstanceInput.WriteAheadDone(true, ""));
        owner.step(new InstanceInput.BindDone(4));
        // Bound for 4 s of a lease valid VALIDITY: the renewal is set at the whole second that ends a lifetime
        // 100 ms before validUntil, 1.5 s or more before the 4 s run out.
        long renewal = acquired + VALIDITY - KernelLifetime.RENEWAL_CUSHION_NANOS - 3 * SECOND;
        // Answers that only push the renewal later wait for the core's next step.
        assertThat(owner.core().confirmationUrgent(answer(acquired + 250 * MILLI), acquired + 250 * MILLI))
                .isFalse();
        assertThat(owner.core().confirmationUrgent(answer(acquired + 500 * MILLI), acquired + SECOND)).isFalse();
        // Sent 990 ms after the proof: its aligned instant passes the latest allowed one (1.5 s before the 4 s end)
        // and steps a whole second back, 10 ms before the renewal set, so it is stepped; later it renews at once.
        long stepBack = acquired + 990 * MILLI;
        assertThat(owner.core().confirmationUrgent(answer(stepBack), acquired + SECOND)).isTrue();
        assertThat(owner.core().confirmationUrgent(answer(stepBack), renewal - 5 * MILLI)).isTrue();
        assertThat(owner.core().confirmationUrgent(answer(acquired + SECOND), acquired + SECOND)).isFalse();
        // Answers on another session, or not newer than the proof, change nothing.
        assertThat(owner.core().confirmationUrgent(new InstanceInput.ConfirmationAnswered(SESSION + 1, stepBack),
                acquired + SECOND)).isFalse();
        assertThat(owner.core().confirmationUrgent(answer(acquired), acquired + SECOND)).isFalse();

        owner.step(new InstanceInput.SessionLost());
        assertThat(owner.core().confirmationUrgent(answer(acquired + SECOND), owner.now())).isTrue();

        CoreDriver backup = CoreDriver.leased(100);
        backup.step(new InstanceInput.Start());
        backup.step(new InstanceInput.ReleaseDone());
        backup.step(new InstanceInput.SessionStarted(SESSION, CoreDriver.SESSION_TIMEOUT, CoreDriver.ENSEMBLE_TICK));
        backup.step(new InstanceInput.AdvertReceived(CoreDriver.address(12), 150, 100));
        assertThat(backup.core().state()).isEqualTo(VrrpState.BACKUP);
        assertThat(backup.core().confirmationUrgent(answer(backup.now()), backup.now())).isFalse();
    }

    /**
     * Two owners fed the same answers (every 250 ms, each 2-9 ms after it was sent, sometimes a second of silence):
     * one steps every answer, the other only those {@link InstanceCore#confirmationUrgent} asks for and is offered
     * the rest. They renew at the same instants with the same lifetimes.
     */
    @Test
    void shouldRenewAsIfEveryAnswerWereSteppedWhenOnlyUrgentOnesAre() {
        CoreDriver stepped = CoreDriver.leased(150);
        CoreDriver offered = CoreDriver.leased(150);
        long sent = stepped.startAsMaster();
        offered.startAsMaster();
        bindLeased(stepped, sent);
        bindLeased(offered, sent);
        Random random = new Random(11);
        int steppedAcks = stepped.timed(InstanceEffect.Bind.class).size();
        int offeredAcks = offered.timed(InstanceEffect.Bind.class).size();
        int offers = 0;

        for (int answer = 0; answer < 400; answer++) {
            sent += random.nextInt(20) == 0 ? SECOND : 250 * MILLI;
            long arrives = sent + (2 + random.nextInt(8)) * MILLI;
            stepped.advanceTo(arrives);
            offered.advanceTo(arrives);
            steppedAcks = acknowledgeBinds(stepped, steppedAcks);
            offeredAcks = acknowledgeBinds(offered, offeredAcks);
            InstanceInput.ConfirmationAnswered answered = answer(sent);
            stepped.step(answered);
            if (offered.core().confirmationUrgent(answered, offered.now())) {
                offered.step(answered);
            } else {
                offered.core().offer(answered);
                offers++;
            }
            steppedAcks = acknowledgeBinds(stepped, steppedAcks);
            offeredAcks = acknowledgeBinds(offered, offeredAcks);
        }

        assertThat(offers).isGreaterThan(200);
        assertThat(renewals(offered)).hasSizeGreaterThan(40).isEqualTo(renewals(stepped));
        assertThat(offered.core().view(offered.now()).bound()).isTrue();
    }

    private static List<String> renewals(CoreDriver driver) {
        return driver.timed(InstanceEffect.Bind.class).stream()
                .map(t -> t.atNanos() + " ns: " + ((InstanceEffect.Bind) t.effect()).lifetimeSeconds().getAsLong()
                        + " s")
                .toList();
    }

    private static InstanceInput.ConfirmationAnswered answer(long sent) {
        return new InstanceInput.ConfirmationAnswered(SESSION, sent);
    }

    private static int acknowledgeBinds(CoreDriver driver, int acknowledged) {
        List<CoreDriver.Timed> binds = driver.timed(InstanceEffect.Bind.class);
        while (acknowledged < binds.size()) {
            InstanceEffect.Bind bind = (InstanceEffect.Bind) binds.get(acknowledged++).effect();
            driver.step(new InstanceInput.BindDone(bind.lifetimeSeconds().getAsLong()));
            binds = driver.timed(InstanceEffect.Bind.class);
        }
        return acknowledged;
    }

    @Test
    void shouldLetAMastersNextAdvertGoOutATenthOfTheIntervalEarlyAndRestartFromThere() {
        CoreDriver driver = CoreDriver.unleased(150);
        driver.step(new InstanceInput.Start());
        driver.step(new InstanceInput.ReleaseDone());
        driver.advanceBy(5 * SECOND);
        InstanceEffect.SetTimer window = driver.all(InstanceEffect.SetTimer.class).get(
                driver.all(InstanceEffect.SetTimer.class).size() - 1);
        assertThat(window.deadlineNanos() - window.earliestNanos()).isEqualTo(100 * MILLI);
        driver.clear();

        driver.advanceTo(window.earliestNanos() - 1);
        driver.step(new InstanceInput.TimerFired());
        assertThat(driver.all(InstanceEffect.SendAdvert.class)).isEmpty();

        driver.advanceTo(window.earliestNanos());
        driver.step(new InstanceInput.TimerFired());

        assertThat(driver.all(InstanceEffect.SendAdvert.class)).hasSize(1);
        assertThat(driver.all(InstanceEffect.SetTimer.class)).last()
                .satisfies(t -> assertThat(t.deadlineNanos()).isEqualTo(window.earliestNanos() + SECOND));
    }

    @Test
    void shouldGiveABackupsMasterDownTimerNoEarlyWindow() {
        CoreDriver driver = CoreDriver.unleased(100);
        driver.step(new InstanceInput.Start());
        driver.step(new InstanceInput.ReleaseDone());
        driver.step(new InstanceInput.AdvertReceived(CoreDriver.address(12), 150, 100));

        assertThat(driver.core().state()).isEqualTo(VrrpState.BACKUP);
        assertThat(driver.all(InstanceEffect.SetTimer.class)).isNotEmpty()
                .allSatisfy(t -> assertThat(t.earliestNanos()).isEqualTo(t.deadlineNanos()));
    }

    @Test
    void shouldNeverLetATimerWindowEndAfterTheLeasesValidUntil() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.startAsMaster();
        long sent = driver.now();
        bindLeased(driver, sent);
        driver.clear();

        driver.advanceBy(10 * SECOND);

        List<CoreDriver.Timed> whileValid = driver.timed(InstanceEffect.SetTimer.class).stream()
                .filter(t -> t.atNanos() < sent + VALIDITY).toList();
        assertThat(whileValid).isNotEmpty().allSatisfy(t -> assertThat(((InstanceEffect.SetTimer) t.effect())
                .deadlineNanos()).isLessThanOrEqualTo(sent + VALIDITY));
        assertThat(driver.core().state()).isEqualTo(VrrpState.FAULT);
    }

    private static void bindLeased(CoreDriver driver, long sent) {
        driver.step(new InstanceInput.LatchAcquired(SESSION, 7, sent));
        driver.step(new InstanceInput.WriteAheadDone(true, ""));
        driver.step(new InstanceInput.BindDone(4));
        assertThat(driver.core().view(driver.now()).bound()).isTrue();
    }
}
