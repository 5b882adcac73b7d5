package io.quorumvip.instance;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.lease.KernelLifetime;
import io.quorumvip.lease.LeaseTiming;
import io.quorumvip.ownership.OwnershipDecision;
import io.quorumvip.ownership.OwnershipInputs;
import io.quorumvip.ownership.OwnershipRule;
import io.quorumvip.ownership.RoleInput;
import io.quorumvip.track.EffectivePriority;
import io.quorumvip.track.TrackerStatus;
import io.quorumvip.vrrp.Outputs;
import io.quorumvip.vrrp.VrrpInput;
import io.quorumvip.vrrp.VrrpOutput;
import io.quorumvip.vrrp.VrrpState;
import io.quorumvip.vrrp.VrrpStateMachine;
import io.quorumvip.vrrp.VrrpTimer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One vrrp_instance, whole: the VRRP state machine, the trackers, the lease bookkeeping, the ownership rule, the
 * kernel-lifetime renewals and every timer, behind one {@link #step(InstanceInput, long)}. Pure: it never reads a
 * clock, a socket or the effector's memory; what it wants done comes out as {@link InstanceEffect}s, and their
 * outcome comes back as inputs. The agent and the simulation both run it (docs/safety.md, docs/simulation.md).
 *
 * <p>The rules it keeps:
 * <ul>
 *   <li>own = MASTER ∧ ¬FAULT ∧ (no quorum ∨ lease held ∧ now &lt; validUntil) ({@link OwnershipRule}); validUntil
 *       is {@code t_c + S − margin} for the latest answered request sent at {@code t_c} on the latch's session, not
 *       older than the request that found the latch node owned by that session.</li>
 *   <li>Gaining the addresses is written ahead; the bind goes out only once the journal said it is durable.</li>
 *   <li>Addresses carry a kernel lifetime that ends by validUntil, checked again against the time of the kernel's
 *       answer (a pause before the syscall must not stretch it).</li>
 *   <li>Leaving MASTER: the addresses go first (and the latch stays until the kernel confirmed it), then the latch,
 *       then the priority-0 advert once the latch node is gone (or after {@link #PRIORITY_ZERO_BOUND_NANOS}).</li>
 *   <li>A lease that lapses, a lost session or a latch that cannot start is a FAULT: priority 0, no adverts, so a
 *       node that reaches the quorum takes over; the next answer through the ZooKeeper leader clears it.</li>
 * </ul>
 * Not thread-safe: one thread (the agent's event loop, the simulation's scheduler) steps it.
 */
public final class InstanceCore {

    /** How often a backup looks whether the leaving master's latch node is gone, and how far apart. */
    static final int LATCH_FREE_LOOKS = 6;
    static final long LATCH_FREE_RETRY_NANOS = 50_000_000L;
    /** The priority-0 advert waits this long at most for the latch node to be gone; the lease stays safe anyway. */
    static final long PRIORITY_ZERO_BOUND_NANOS = 250_000_000L;
    /** A failed release is tried again this soon. */
    static final long RELEASE_RETRY_NANOS = 100_000_000L;
    /**
     * A master's next advert may go out up to a tenth of the advert interval early (100 ms at 1 s), so that a driver
     * sends many instances' adverts in one wake-up ({@link DeadlineCalendar}): after a few intervals the instances'
     * adverts gather into at most about ten groups per interval. Early, never late: no gap between two adverts
     * grows past the interval, so a backup's master-down timer (3 intervals plus the skew) is as safe as before.
     * Every other timer (a backup's master-down, the lease's validity, a renewal, a retry) fires at its deadline.
     */
    static final long ADVERT_EARLY_DIVISOR = 10;

    private static final String QUORUM_FAULT = "quorum";
    private static final long SECOND_NANOS = 1_000_000_000L;

    private enum Timer { VRRP, VALIDITY, GROUP_VALIDITY, RENEWAL, LATCH_LOOK, PRIORITY_ZERO, BIND_RETRY, RELEASE_RETRY }

    /** Where this instance's latch stands, as far as the core asked for it. */
    private enum Latch { IDLE, CONTENDING, HELD, WITHDRAWING }

    /** Where the addresses stand in the kernel, as acknowledged. */
    private enum Address { ABSENT, INTENT, BINDING, BOUND, RELEASING }

    /**
     * What the status page and metrics show.
     *
     * @param validForNanos how long the lease stays provably valid, 0 when it is not
     */
    public record View(VrrpState state, int effectivePriority, String decision, boolean leaseHeld, long epoch,
                       long validForNanos, boolean bound, boolean quorumFault) {
    }

    /**
     * What the instance's sync group needs of it ({@link SyncGroupCore}).
     *
     * @param faultOfItsOwn   in FAULT (or about to be) for a reason of its own, not only because of the group
     * @param wantsMaster     a held BACKUP whose master-down timer ran out
     * @param leaseHeld       with a lease: the latch is held on the current session
     * @param validUntilNanos with a lease held: until when it is provably valid
     */
    public record MemberView(VrrpState state, boolean faultOfItsOwn, boolean wantsMaster, boolean leaseHeld,
                             long validUntilNanos) {
    }

    private final InstanceSettings settings;
    private final VrrpStateMachine machine;
    private final Map<String, TrackerStatus> trackers = new LinkedHashMap<>();
    private final Map<Timer, Long> deadlines = new EnumMap<>(Timer.class);
    private final long advertIntervalNanos;
    private EffectivePriority.Result tracked;

    private long sessionId;
    private LeaseTiming timing;
    private Latch latch = Latch.IDLE;
    private long epoch;
    private long provenSendNanos;
    private boolean lapsed;
    private String quorumFaultSource;

    private Address address = Address.ABSENT;
    private long bindSeconds;
    private long kernelLifetimeEndNanos;
    private boolean releaseWasBound;
    private Cause releaseCause;

    private OwnershipDecision decision;
    private boolean withdrawOwed;
    private boolean priorityZeroOwed;
    private int latchLooksLeft;
    private InetAddress releasedMaster;
    private InetAddress lastMasterSeen;
    private long lastReannounceNanos;
    private boolean reannouncedOnce;
    private boolean stopping;
    private boolean stopped;
    private OptionalLong timerSet = OptionalLong.empty();
    private long timerEarliest;

    private boolean groupOpen = true;
    private OptionalLong groupValidUntil = OptionalLong.empty();
    private boolean groupHold;
    private boolean wantsMaster;
    private final Set<String> groupFaults = new HashSet<>();

    private InstanceInput.ConfirmationAnswered offered;

    private long now;
    private List<InstanceEffect> out;

    public InstanceCore(InstanceSettings settings) {
        this.settings = settings;
        this.machine = new VrrpStateMachine(settings.vrrp());
        this.advertIntervalNanos = settings.advertIntervalNanos();
        settings.trackers().forEach(t -> trackers.put(t.name(), t));
        this.tracked = new EffectivePriority.Result(settings.vrrp().priority(), List.of());
    }

    public String name() {
        return settings.name();
    }

    public VrrpState state() {
        return machine.state();
    }

    /** Feeds one input that happened at {@code nowNanos} (monotonic) and returns what to do, in order. */
    public List<InstanceEffect> step(InstanceInput input, long nowNanos) {
        now = nowNanos;
        out = new ArrayList<>();
        if (!stopped) {
            takeOffered();
            dispatch(input);
            withdrawIfOwed();
            finishStopping();
        }
        syncTimer();
        List<InstanceEffect> effects = out;
        out = null;
        return effects;
    }

    /**
     * Hands the core the node's latest answered confirmation without stepping it: the core takes it at the start of
     * its next step, before that step's input, exactly as if it had been stepped just before (docs/lease.md,
     * "Confirmations on demand"). A driver offers it instead of stepping it while {@link #confirmationUrgent} is
     * false: every deadline that depends on validity is a step of its own, so the core never decides on a validity
     * older than the latest answer it was offered. A newer offer replaces an older one not yet taken.
     */
    public void offer(InstanceInput.ConfirmationAnswered answered) {
        offered = answered;
    }

    /**
     * Whether {@code answered}, arriving at {@code nowNanos}, may change what the instance does now, so its driver
     * must step it at once rather than {@link #offer} it: a quorum fault that it clears, a lapsed lease, a held
     * lease whose addresses are not bound (being gained, renewed or released), or a kernel-lifetime renewal that
     * it makes due now or brings forward ({@link #renewalBroughtForward}). Otherwise (a backup without the lease,
     * an owner whose renewal it only pushes later) it changes only deadlines the core already waits for: the
     * earlier deadline fires, the core takes the offer first and waits on, so every renewal still comes at the
     * instant and with the lifetime that stepping every answer gives.
     */
    public boolean confirmationUrgent(InstanceInput.ConfirmationAnswered answered, long nowNanos) {
        return quorumFaultSource != null || lapsed || latch == Latch.HELD && address != Address.BOUND
                || renewalBroughtForward(answered, nowNanos);
    }

    /**
     * Whether stepping {@code answered} at {@code nowNanos} would renew the lifetime at once or set the renewal
     * earlier than the deadline the core has: an answer moves the aligned instant ({@link KernelLifetime#renewalAt})
     * later by its gain in validity, or back by a whole second less that gain when it passes the latest allowed
     * instant, and only that step back must not wait for the old deadline. True as well when no renewal was set;
     * false for an answer the core would ignore (another session, not newer than the proof it has) and when it
     * holds no bound lease, where an answer moves no renewal.
     */
    private boolean renewalBroughtForward(InstanceInput.ConfirmationAnswered answered, long nowNanos) {
        if (latch != Latch.HELD || address != Address.BOUND || timing == null || answered.sessionId() != sessionId
                || answered.sendNanos() - provenSendNanos <= 0) {
            return false;
        }
        long until = timing.validUntil(answered.sendNanos());
        if (groupValidUntil.isPresent() && groupValidUntil.getAsLong() - until < 0) {
            until = groupValidUntil.getAsLong();
        }
        OptionalLong renewAt = KernelLifetime.renewalAt(until, nowNanos, kernelLifetimeEndNanos);
        Long scheduled = deadlines.get(Timer.RENEWAL);
        return renewAt.isPresent() && (renewAt.getAsLong() - nowNanos <= 0 || scheduled == null
                || renewAt.getAsLong() - scheduled < 0);
    }

    /** The instance as the status page shows it at {@code nowNanos}. */
    public View view(long nowNanos) {
        boolean held = held();
        long validFor = held && nowNanos - validUntil() < 0 ? validUntil() - nowNanos : 0;
        return new View(machine.state(), machine.effectivePriority(),
                decision == null ? "NOT_STARTED" : decision.reason().name(), held, held ? epoch : 0, validFor,
                address == Address.BOUND, quorumFaultSource != null);
    }

    /** The instance as its sync group sees it. */
    public MemberView member() {
        boolean ownFault = quorumFaultSource != null
                || trackers.values().stream().anyMatch(TrackerStatus::faults);
        boolean held = held();
        return new MemberView(machine.state(), ownFault, wantsMaster, held, held ? validUntil() : 0);
    }

    private void dispatch(InstanceInput input) {
        if (input instanceof InstanceInput.Start) {
            start();
        } else if (input instanceof InstanceInput.Shutdown) {
            shutdown();
        } else if (stopping) {
            onAcknowledgement(input);
        } else if (input instanceof InstanceInput.AdvertReceived advert) {
            onAdvert(advert);
        } else if (input instanceof InstanceInput.TimerFired) {
            onTimer();
        } else if (input instanceof InstanceInput.TrackerChanged changed) {
            onTracker(changed);
        } else if (input instanceof InstanceInput.TrackerStatusChanged changed) {
            onTrackerStatus(changed.status());
        } else if (input instanceof InstanceInput.SessionStarted started) {
            onSessionStarted(started);
        } else if (input instanceof InstanceInput.SessionLost) {
            onSessionLost();
        } else if (input instanceof InstanceInput.ConfirmationAnswered answered) {
            onConfirmation(answered);
        } else if (input instanceof InstanceInput.LatchAcquired acquired) {
            onLatchAcquired(acquired);
        } else if (input instanceof InstanceInput.LatchLost lost) {
            onLatchLost(lost);
        } else if (input instanceof InstanceInput.LatchStartFailed failed) {
            report("latch", "cannot enter the leader latch: " + failed.error()
                    + "; the instance goes to FAULT and tries again when ZooKeeper answers");
            raiseQuorumFault("leader latch not started");
        } else if (input instanceof InstanceInput.LatchFree free) {
            onLatchFree(free.free());
        } else if (input instanceof InstanceInput.GroupGate gate) {
            onGroupGate(gate);
        } else if (input instanceof InstanceInput.GroupFault fault) {
            onGroupFault(fault);
        } else if (input instanceof InstanceInput.GroupBackup backup) {
            apply(machine.step(new VrrpInput.ForceBackup(backup.reason()), now));
        } else if (input instanceof InstanceInput.GroupHold hold) {
            onGroupHold(hold.hold());
        } else {
            onAcknowledgement(input);
        }
    }

    /** Answers of effects: also handled while stopping, since the stop waits for them. */
    private void onAcknowledgement(InstanceInput input) {
        if (input instanceof InstanceInput.WriteAheadDone done) {
            onWriteAhead(done);
        } else if (input instanceof InstanceInput.BindDone done) {
            onBound(done.lifetimeSeconds());
        } else if (input instanceof InstanceInput.BindFailed failed) {
            onBindFailed(failed.error());
        } else if (input instanceof InstanceInput.ReleaseDone) {
            onReleased();
        } else if (input instanceof InstanceInput.ReleaseFailed failed) {
            onReleaseFailed(failed.error());
        } else if (input instanceof InstanceInput.LatchGone) {
            onLatchGone();
        } else if (input instanceof InstanceInput.TimerFired) {
            onTimer();
        }
    }

    // --- VRRP ------------------------------------------------------------------------------------------------

    private void start() {
        if (decision != null || stopping) {
            return;
        }
        // An address left by a crashed run is not ours until won.
        release(new Cause(CauseKind.STARTUP, "not owned until won", 0));
        EffectivePriority.Result initial = EffectivePriority.compute(settings.vrrp().priority(),
                List.copyOf(trackers.values()));
        for (String source : initial.faultingTrackers()) {
            apply(machine.step(new VrrpInput.FaultRaised(source), now));
        }
        if (initial.priority() != settings.vrrp().priority()) {
            apply(machine.step(new VrrpInput.PriorityChanged(initial.priority()), now));
        }
        tracked = initial;
        apply(machine.step(new VrrpInput.Startup(), now));
        reconcile(new Cause(CauseKind.STARTUP, "started", 0));
    }

    private void shutdown() {
        if (stopping) {
            return;
        }
        apply(machine.step(new VrrpInput.Shutdown(), now));
        stopping = true;
        deadlines.keySet().retainAll(List.of(Timer.PRIORITY_ZERO, Timer.RELEASE_RETRY));
        reconcile(new Cause(CauseKind.SHUTDOWN, "shutdown", 0));
        if (latch == Latch.CONTENDING || latch == Latch.HELD) {
            withdrawOwed = true;
        }
        if (latch == Latch.WITHDRAWING && !deadlines.containsKey(Timer.PRIORITY_ZERO)) {
            // An earlier withdrawal ZooKeeper has not confirmed yet: wait for it no longer than for the advert.
            deadlines.put(Timer.PRIORITY_ZERO, now + PRIORITY_ZERO_BOUND_NANOS);
        }
    }

    private void onAdvert(InstanceInput.AdvertReceived advert) {
        InetAddress sender = advert.sender();
        if (advert.priority() > 0 && !sender.equals(lastMasterSeen)) {
            lastMasterSeen = sender;
            journal(Cause.advert(sender.getHostAddress(), advert.priority()),
                    new Event.NewMasterSeen(name(), sender.getHostAddress(), advert.priority()));
        }
        VrrpState before = machine.state();
        apply(machine.step(new VrrpInput.AdvertReceived(sender, advert.priority(),
                Math.max(1, advert.advertIntervalCentis())), now));
        if (advert.priority() == 0 && before == VrrpState.BACKUP && settings.quorum()) {
            // The leaving master deletes its latch node before its priority-0 advert, but the deletion may land
            // after our first look: look a few times within the skew wait the state machine runs anyway.
            releasedMaster = sender;
            latchLooksLeft = LATCH_FREE_LOOKS;
            out.add(new InstanceEffect.CheckLatchFree());
        }
        if (before == VrrpState.MASTER && machine.state() == VrrpState.MASTER && address == Address.BOUND) {
            reannounceAfterDualMaster();
        }
    }

    /**
     * Another master's advert reached this owner: a heartbeat split is healing and clients may have learnt the
     * other node's MAC meanwhile, so announce again, at most once per advert interval.
     */
    private void reannounceAfterDualMaster() {
        if (reannouncedOnce && now - lastReannounceNanos < advertIntervalNanos) {
            return;
        }
        reannouncedOnce = true;
        lastReannounceNanos = now;
        out.add(new InstanceEffect.Announce());
    }

    private void onTracker(InstanceInput.TrackerChanged changed) {
        TrackerStatus old = trackers.get(changed.tracker());
        if (old != null) {
            onTrackerStatus(old.withHealthy(changed.healthy()));
        }
    }

    /** A tracker's new status (verdict, or weight for a value tracker): FAULT raised or cleared, then priority. */
    private void onTrackerStatus(TrackerStatus status) {
        TrackerStatus old = trackers.get(status.name());
        if (old == null || old.equals(status)) {
            return;
        }
        trackers.put(status.name(), status);
        EffectivePriority.Result next = EffectivePriority.compute(settings.vrrp().priority(),
                List.copyOf(trackers.values()));
        if (old.faults() != status.faults()) {
            apply(machine.step(status.faults() ? new VrrpInput.FaultRaised(status.name())
                    : new VrrpInput.FaultCleared(status.name()), now));
        }
        if (next.priority() != tracked.priority()) {
            journal(Cause.health(status.name(), status.weight()), new Event.EffectivePriorityChanged(name(),
                    settings.vrrp().priority(), tracked.priority(), next.priority()));
            apply(machine.step(new VrrpInput.PriorityChanged(next.priority()), now));
        }
        tracked = next;
    }

    private void onTimer() {
        for (Timer timer : Timer.values()) {
            Long deadline = deadlines.get(timer);
            if (deadline == null) {
                continue;
            }
            if (now - deadline >= 0) {
                deadlines.remove(timer);
                fired(timer);
            } else if (now - (deadline - earlyBy(timer)) >= 0) {
                deadlines.remove(timer);
                vrrpTimer(new VrrpInput.AdvertEarly());
            }
        }
    }

    /** How much earlier than its deadline {@code timer} may fire: only a master's next advert may. */
    private long earlyBy(Timer timer) {
        return timer == Timer.VRRP && machine.state() == VrrpState.MASTER
                && machine.armedTimer() == VrrpTimer.ADVER_TIMER ? advertIntervalNanos / ADVERT_EARLY_DIVISOR : 0;
    }

    /** The VRRP timer ran out, or (a master's next advert) its window opened. */
    private void vrrpTimer(VrrpInput input) {
        if (groupHold && machine.state() == VrrpState.BACKUP) {
            wantsMaster = true;
        } else if (machine.state() == VrrpState.MASTER && latch == Latch.HELD && !validAt(now)) {
            // Back from a pause (SIGSTOP, a long GC): the lease ran out while this process was frozen. Say so with
            // priority 0 instead of advertising a mastership it can no longer back.
            raiseQuorumFault("lease ran out while this process was not running");
        } else {
            apply(machine.step(input, now));
        }
    }

    private void fired(Timer timer) {
        switch (timer) {
            case VRRP -> vrrpTimer(new VrrpInput.TimerFired());
            case VALIDITY -> validityEnded();
            case GROUP_VALIDITY -> reconcile(new Cause(CauseKind.LEASE_WATCH, "sync group's lease bound passed", 0));
            case RENEWAL -> renewAligned();
            case LATCH_LOOK -> out.add(new InstanceEffect.CheckLatchFree());
            case PRIORITY_ZERO -> {
                if (stopping && latch == Latch.WITHDRAWING) {
                    // ZooKeeper does not confirm the deletion in time: stop anyway; closing the session deletes it.
                    latch = Latch.IDLE;
                }
                sendOwedPriorityZero();
            }
            case BIND_RETRY -> reconcile(new Cause(CauseKind.NONE, "retrying a bind that failed", 0));
            case RELEASE_RETRY -> {
                if (address == Address.RELEASING) {
                    out.add(new InstanceEffect.Release(releaseCause, releaseWasBound, lifetimeEnded()));
                }
            }
        }
    }

    private void apply(Outputs outputs) {
        // State changes first: leaving MASTER must drop the addresses before the priority-0 advert goes out.
        for (VrrpOutput output : outputs.items()) {
            if (output instanceof VrrpOutput.StateChanged changed) {
                onStateChanged(changed);
            }
        }
        for (VrrpOutput output : outputs.items()) {
            if (output instanceof VrrpOutput.SendAdvert send) {
                sendAdvert(send.priority());
            } else if (output instanceof VrrpOutput.ArmTimer arm) {
                // A fresh master-down timer: a master is heard again, or the state changed.
                wantsMaster = false;
                deadlines.put(Timer.VRRP, arm.deadlineNanos());
            } else if (output instanceof VrrpOutput.CancelTimer) {
                deadlines.remove(Timer.VRRP);
            }
        }
    }

    private void sendAdvert(int priority) {
        if (priority == 0 && settings.quorum() && latch != Latch.IDLE) {
            // Addresses, then latch, then this advert: the backup it invites must find the lease free.
            priorityZeroOwed = true;
            deadlines.put(Timer.PRIORITY_ZERO, now + PRIORITY_ZERO_BOUND_NANOS);
            return;
        }
        out.add(new InstanceEffect.SendAdvert(priority));
    }

    private void sendOwedPriorityZero() {
        deadlines.remove(Timer.PRIORITY_ZERO);
        if (priorityZeroOwed) {
            priorityZeroOwed = false;
            if (machine.state() != VrrpState.MASTER) {
                out.add(new InstanceEffect.SendAdvert(0));
            }
        }
    }

    private void onStateChanged(VrrpOutput.StateChanged changed) {
        wantsMaster = false;
        Cause cause = Causes.of(changed.cause());
        journal(cause, new Event.VrrpStateChanged(name(), settings.vrrp().vrid(), role(changed.from()),
                role(changed.to())));
        if (changed.to() == VrrpState.FAULT) {
            journal(cause, new Event.FaultEntered(name(), cause.subject()));
        } else if (changed.from() == VrrpState.FAULT) {
            journal(cause, new Event.FaultCleared(name()));
        }
        if (changed.to() == VrrpState.MASTER) {
            // This node is the master it hears now: whoever advertises next is news.
            lastMasterSeen = null;
            priorityZeroOwed = false;
            deadlines.remove(Timer.PRIORITY_ZERO);
            latchLooksLeft = 0;
            deadlines.remove(Timer.LATCH_LOOK);
            if (settings.quorum()) {
                withdrawOwed = false;
                journal(cause, new Event.LeaseRequested(name(), sessionId));
                if (latch == Latch.IDLE || latch == Latch.WITHDRAWING) {
                    latch = Latch.CONTENDING;
                    out.add(new InstanceEffect.Contend());
                }
            }
        }
        reconcile(cause);
        if (changed.from() == VrrpState.MASTER && settings.quorum()
                && (latch == Latch.CONTENDING || latch == Latch.HELD)) {
            withdrawOwed = true;
        }
        if (changed.to() != VrrpState.INITIALIZE) {
            out.add(new InstanceEffect.Notify(stateName(changed.to()), machine.effectivePriority()));
        }
    }

    // --- sync group ------------------------------------------------------------------------------------------

    private void onGroupGate(InstanceInput.GroupGate gate) {
        groupOpen = gate.open();
        groupValidUntil = gate.open() ? gate.othersValidUntilNanos() : OptionalLong.empty();
        if (groupValidUntil.isPresent()) {
            deadlines.put(Timer.GROUP_VALIDITY, groupValidUntil.getAsLong());
        } else {
            deadlines.remove(Timer.GROUP_VALIDITY);
        }
        reconcile(new Cause(CauseKind.LEASE_WATCH, gate.open() ? "sync group owns" : "sync group does not own", 0));
    }

    private void onGroupFault(InstanceInput.GroupFault fault) {
        boolean changed = fault.raised() ? groupFaults.add(fault.source()) : groupFaults.remove(fault.source());
        if (changed) {
            apply(machine.step(fault.raised() ? new VrrpInput.FaultRaised(fault.source())
                    : new VrrpInput.FaultCleared(fault.source()), now));
        }
    }

    private void onGroupHold(boolean hold) {
        groupHold = hold;
        if (!hold && wantsMaster) {
            wantsMaster = false;
            apply(machine.step(new VrrpInput.TimerFired(), now));
        }
    }

    /** own = the instance's own decision ∧ the sync group's gate (open, and before the others' validUntil). */
    private boolean owning() {
        return decision != null && decision.own() && groupOpen
                && (groupValidUntil.isEmpty() || now - groupValidUntil.getAsLong() < 0);
    }

    /** Until when the addresses may stay: the lease's validUntil, or the group's bound when it comes first. */
    private long addressUntil() {
        long own = validUntil();
        return groupValidUntil.isPresent() && groupValidUntil.getAsLong() - own < 0 ? groupValidUntil.getAsLong()
                : own;
    }

    private boolean addressAllowedAt(long at) {
        return validAt(at) && (groupValidUntil.isEmpty() || at - groupValidUntil.getAsLong() < 0);
    }

    // --- lease -----------------------------------------------------------------------------------------------

    private void onSessionStarted(InstanceInput.SessionStarted started) {
        if (started.sessionId() == 0) {
            return;
        }
        if (started.sessionId() != sessionId) {
            LeaseTiming next;
            try {
                next = new LeaseTiming(started.timeoutNanos(), started.ensembleTickNanos());
            } catch (IllegalArgumentException e) {
                report("session", "ZooKeeper negotiated a session timeout the lease cannot work with: "
                        + e.getMessage() + "; raise the servers' minSessionTimeout/maxSessionTimeout or"
                        + " session_timeout, or check zk_tick_time");
                loseSession(LeaseLossCause.SESSION_CHANGED);
                return;
            }
            loseSession(LeaseLossCause.SESSION_CHANGED);
            sessionId = started.sessionId();
            timing = next;
        }
        clearQuorumFault();
        reconcile(Cause.leaseWatch("session started", sessionId));
    }

    private void onSessionLost() {
        loseSession(LeaseLossCause.SESSION_LOST);
        raiseQuorumFault("ZooKeeper session lost");
        reconcile(Cause.leaseWatch("session lost", 0));
    }

    private void loseSession(LeaseLossCause cause) {
        long lostSession = sessionId;
        sessionId = 0;
        timing = null;
        if (latch == Latch.HELD) {
            lose(cause, lostSession);
        }
    }

    /** An offered confirmation, taken before the step's input; ignored while stopping, as a stepped one is. */
    private void takeOffered() {
        InstanceInput.ConfirmationAnswered answered = offered;
        offered = null;
        if (answered != null && !stopping) {
            onConfirmation(answered);
        }
    }

    private void onConfirmation(InstanceInput.ConfirmationAnswered answered) {
        if (answered.sessionId() != sessionId || sessionId == 0) {
            return;
        }
        clearQuorumFault();
        if (latch == Latch.HELD && answered.sendNanos() - provenSendNanos > 0) {
            provenSendNanos = answered.sendNanos();
            lapsed = false;
            leaseChanged(Cause.leaseWatch("confirmed", sessionId));
        }
    }

    private void onLatchAcquired(InstanceInput.LatchAcquired acquired) {
        if (latch != Latch.CONTENDING || acquired.sessionId() != sessionId || sessionId == 0) {
            return;
        }
        latch = Latch.HELD;
        epoch = acquired.epoch();
        provenSendNanos = acquired.sendNanos();
        lapsed = false;
        Cause cause = Cause.leaseWatch("acquired", sessionId);
        out.add(new InstanceEffect.Journal(epoch, cause, new Event.LeaseAcquired(name(), sessionId, validUntil())));
        leaseChanged(cause);
    }

    private void onLatchLost(InstanceInput.LatchLost lost) {
        if (latch != Latch.HELD) {
            return;
        }
        lose(lost.cause(), sessionId);
        if (lost.cause() == LeaseLossCause.SESSION_LOST && machine.state() == VrrpState.MASTER) {
            raiseQuorumFault("ZooKeeper session lost");
        }
        reconcile(new Cause(CauseKind.LEASE_WATCH, lost.cause().name(), sessionId));
    }

    private void lose(LeaseLossCause cause, long session) {
        out.add(new InstanceEffect.Journal(epoch, new Cause(CauseKind.LEASE_WATCH, cause.name(), session),
                new Event.LeaseLost(name(), session)));
        latch = Latch.CONTENDING;
        epoch = 0;
        lapsed = false;
        deadlines.remove(Timer.VALIDITY);
    }

    private void onLatchGone() {
        if (latch == Latch.WITHDRAWING) {
            latch = Latch.IDLE;
        }
        if (priorityZeroOwed && latch == Latch.IDLE) {
            sendOwedPriorityZero();
        }
    }

    private void onLatchFree(boolean free) {
        if (machine.state() != VrrpState.BACKUP || latchLooksLeft == 0) {
            return;
        }
        latchLooksLeft--;
        if (free) {
            latchLooksLeft = 0;
            apply(machine.step(new VrrpInput.TakeOver("lease of " + releasedMaster.getHostAddress() + " released"),
                    now));
        } else if (latchLooksLeft > 0) {
            deadlines.put(Timer.LATCH_LOOK, now + LATCH_FREE_RETRY_NANOS);
        }
    }

    /** Leaves the latch once no address can still be on the interface: the next holder must not meet ours. */
    private void withdrawIfOwed() {
        if (!withdrawOwed || address != Address.ABSENT) {
            return;
        }
        withdrawOwed = false;
        if (latch == Latch.HELD) {
            journal(new Cause(CauseKind.LEASE_WATCH, "withdrawn", sessionId), new Event.LeaseReleased(name(),
                    sessionId), epoch);
        }
        latch = Latch.WITHDRAWING;
        epoch = 0;
        deadlines.remove(Timer.VALIDITY);
        deadlines.remove(Timer.RENEWAL);
        out.add(new InstanceEffect.Withdraw());
    }

    private void validityEnded() {
        if (latch == Latch.HELD && !lapsed && !validAt(now)) {
            lapsed = true;
            journal(Cause.leaseWatch("lapsed", sessionId), new Event.LeaseConfirmationLapsed(name(), sessionId,
                    validUntil()), epoch);
            if (machine.state() == VrrpState.MASTER) {
                raiseQuorumFault("lease lapsed");
            }
        }
        reconcile(new Cause(CauseKind.LEASE_WATCH, "validity ended", 0));
    }

    private void leaseChanged(Cause cause) {
        deadlines.put(Timer.VALIDITY, validUntil());
        reconcile(cause);
    }

    /** Quorum loss is a fault: the node stops advertising (after a priority-0 advert) so a node with quorum wins. */
    private void raiseQuorumFault(String reason) {
        if (quorumFaultSource != null || !settings.quorum()) {
            return;
        }
        quorumFaultSource = QUORUM_FAULT + ": " + reason;
        apply(machine.step(new VrrpInput.FaultRaised(quorumFaultSource), now));
    }

    private void clearQuorumFault() {
        if (quorumFaultSource == null) {
            return;
        }
        String source = quorumFaultSource;
        quorumFaultSource = null;
        apply(machine.step(new VrrpInput.FaultCleared(source), now));
    }

    private boolean held() {
        return latch == Latch.HELD && timing != null;
    }

    private long validUntil() {
        return timing.validUntil(provenSendNanos);
    }

    private boolean validAt(long at) {
        return held() && at - validUntil() < 0;
    }

    // --- ownership and addresses -------------------------------------------------------------------------------

    /**
     * own = MASTER ∧ ¬FAULT ∧ (no quorum ∨ lease provably valid now). With a lease, the addresses carry a kernel
     * lifetime that ends before the lease could have expired at ZooKeeper, so a frozen or cut-off node loses them
     * by itself; each confirmation renews it.
     */
    private void reconcile(Cause cause) {
        if (decision == null && machine.state() == VrrpState.INITIALIZE && !stopping) {
            return;
        }
        boolean held = held();
        OwnershipInputs inputs = new OwnershipInputs(role(machine.state()), machine.state() == VrrpState.FAULT,
                settings.quorum(), held, held ? validUntil() : 0, now);
        OwnershipDecision next = OwnershipRule.decide(inputs);
        if (!next.equals(decision)) {
            journal(cause, new Event.OwnershipDecided(name(), inputs, next), held ? epoch : 0);
        }
        decision = next;
        if (!owning()) {
            deadlines.remove(Timer.RENEWAL);
            deadlines.remove(Timer.BIND_RETRY);
            if (address == Address.BOUND) {
                release(cause);
            }
            return;
        }
        if (address == Address.ABSENT) {
            writeBindAhead(cause);
        } else if (address == Address.BOUND && settings.quorum()) {
            // Never shortened and never removed early: an address bound earlier keeps the lifetime it was given,
            // which already ends within the lease; it is let go of when validUntil passes.
            renewOrSchedule(cause);
        }
    }

    private void writeBindAhead(Cause cause) {
        long seconds = settings.quorum() ? LeaseTiming.kernelLifetimeSeconds(addressUntil(), now) : 0;
        if (settings.quorum() && seconds < 1) {
            return;
        }
        address = Address.INTENT;
        List<Event> intents = settings.addresses().stream()
                .<Event>map(a -> new Event.VipBindIntended(name(), a, (int) seconds)).toList();
        out.add(new InstanceEffect.WriteAhead(held() ? epoch : 0, cause, intents));
    }

    private void onWriteAhead(InstanceInput.WriteAheadDone done) {
        if (address != Address.INTENT) {
            return;
        }
        address = Address.ABSENT;
        if (!done.durable()) {
            report("journal", "not binding: the journal cannot record the bind ahead (" + done.detail()
                    + "); trying again in " + advertIntervalNanos / 1_000_000 + " ms");
            deadlines.put(Timer.BIND_RETRY, now + advertIntervalNanos);
            return;
        }
        if (stopping || !owning() || settings.quorum() && !addressAllowedAt(now)) {
            reconcile(new Cause(CauseKind.NONE, "written ahead", 0));
            return;
        }
        long seconds = settings.quorum() ? LeaseTiming.kernelLifetimeSeconds(addressUntil(), now) : 0;
        if (settings.quorum() && seconds < 1) {
            return;
        }
        bind(seconds, true, new Cause(CauseKind.NONE, "written ahead", 0));
    }

    private void bind(long seconds, boolean first, Cause cause) {
        address = Address.BINDING;
        bindSeconds = seconds;
        out.add(new InstanceEffect.Bind(settings.quorum() ? OptionalLong.of(seconds) : OptionalLong.empty(),
                settings.quorum() ? addressUntil() : 0, first, cause));
    }

    /**
     * The kernel answered: it started the lifetime somewhere before now, so it ends by {@code now + seconds}; that
     * must still be within validUntil, or the lifetime is programmed again shorter, or the addresses go.
     */
    private void onBound(long programmedSeconds) {
        if (address != Address.BINDING) {
            return;
        }
        address = Address.BOUND;
        if (settings.quorum()) {
            if (programmedSeconds < 1) {
                // The effector found less than a second left: nothing was programmed, and what an earlier bind
                // left in the kernel ends before validUntil by itself. Let go of it now.
                release(new Cause(CauseKind.LEASE_WATCH, "paused before binding: lease too close to its end", 0));
                return;
            }
            bindSeconds = Math.min(bindSeconds, programmedSeconds);
        }
        kernelLifetimeEndNanos = now + bindSeconds * SECOND_NANOS;
        if (stopping || !owning()) {
            release(new Cause(CauseKind.NONE, "no longer owned when the bind was answered", 0));
            return;
        }
        if (settings.quorum()) {
            long afterAck = held() ? LeaseTiming.kernelLifetimeSeconds(addressUntil(), now) : 0;
            if (afterAck < 1) {
                release(new Cause(CauseKind.LEASE_WATCH, "paused while binding: lease too close to its end", 0));
                return;
            }
            if (afterAck < bindSeconds) {
                bind(afterAck, false, new Cause(CauseKind.LEASE_WATCH, "paused while binding: shorter lifetime",
                        afterAck));
                return;
            }
        }
        reconcile(new Cause(CauseKind.NONE, "bound", 0));
    }

    /** A failed bind may have added some addresses: take them all away, then try again from the write-ahead. */
    private void onBindFailed(String error) {
        if (address != Address.BINDING) {
            return;
        }
        report("bind", "could not bind the virtual addresses: " + error + "; removing them and trying again in "
                + advertIntervalNanos / 1_000_000 + " ms");
        address = Address.BOUND;
        kernelLifetimeEndNanos = now + bindSeconds * SECOND_NANOS;
        release(new Cause(CauseKind.NONE, "bind failed", 0));
        deadlines.put(Timer.BIND_RETRY, now + advertIntervalNanos);
    }

    /** Releases the addresses; until the kernel confirms it they count as present (the latch stays held). */
    private void release(Cause cause) {
        releaseWasBound = address == Address.BOUND;
        releaseCause = cause;
        address = Address.RELEASING;
        deadlines.remove(Timer.RENEWAL);
        out.add(new InstanceEffect.Release(cause, releaseWasBound, lifetimeEnded()));
    }

    private OptionalLong lifetimeEnded() {
        return settings.quorum() && releaseWasBound && kernelLifetimeEndNanos - now <= 0
                ? OptionalLong.of(kernelLifetimeEndNanos) : OptionalLong.empty();
    }

    private void onReleased() {
        if (address != Address.RELEASING) {
            return;
        }
        address = Address.ABSENT;
        deadlines.remove(Timer.RELEASE_RETRY);
        if (!stopping) {
            reconcile(new Cause(CauseKind.NONE, "released", 0));
        }
    }

    private void onReleaseFailed(String error) {
        if (address != Address.RELEASING) {
            return;
        }
        boolean lifetimeOver = settings.quorum() && releaseWasBound
                && now - (kernelLifetimeEndNanos + LeaseTiming.KERNEL_OVERSHOOT.toNanos()) >= 0;
        if (lifetimeOver) {
            // The kernel has dropped them by itself by now: the lifetime ran out more than its overshoot ago.
            report("release", "could not remove the virtual addresses: " + error
                    + "; their kernel lifetime has run out, so they are gone");
            onReleased();
            return;
        }
        report("release", "could not remove the virtual addresses: " + error + "; trying again in "
                + RELEASE_RETRY_NANOS / 1_000_000 + " ms, and the lease stays held until they are gone");
        deadlines.put(Timer.RELEASE_RETRY, now + RELEASE_RETRY_NANOS);
    }

    /**
     * Renews the kernel lifetime now if {@link KernelLifetime#renewalAt} says so, or sets the renewal deadline: a
     * lifetime is renewed only as it nears its end, aligned so that it ends just before validUntil, which is what
     * carries the owner through a ZooKeeper leader election without dropping the address.
     */
    private void renewOrSchedule(Cause cause) {
        OptionalLong renewAt = KernelLifetime.renewalAt(addressUntil(), now, kernelLifetimeEndNanos);
        if (renewAt.isEmpty()) {
            deadlines.remove(Timer.RENEWAL);
        } else if (renewAt.getAsLong() - now > 0) {
            deadlines.put(Timer.RENEWAL, renewAt.getAsLong());
        } else {
            deadlines.remove(Timer.RENEWAL);
            bind(LeaseTiming.kernelLifetimeSeconds(addressUntil(), now), false, cause);
        }
    }

    private void renewAligned() {
        if (owning() && address == Address.BOUND && addressAllowedAt(now)) {
            renewOrSchedule(new Cause(CauseKind.LEASE_WATCH, "lifetime renewed before it ends",
                    LeaseTiming.kernelLifetimeSeconds(addressUntil(), now)));
        }
    }

    // --- stopping, timer, helpers ------------------------------------------------------------------------------

    private void finishStopping() {
        if (!stopping || address != Address.ABSENT || withdrawOwed || latch == Latch.WITHDRAWING
                || priorityZeroOwed) {
            return;
        }
        stopped = true;
        deadlines.clear();
        out.add(new InstanceEffect.Notify("STOP", machine.effectivePriority()));
        out.add(new InstanceEffect.Stopped());
    }

    /** The timer's window: from the first instant a firing does something to the earliest deadline. */
    private void syncTimer() {
        OptionalLong deadline = OptionalLong.empty();
        long earliest = 0;
        for (Map.Entry<Timer, Long> entry : deadlines.entrySet()) {
            long due = entry.getValue();
            long from = due - earlyBy(entry.getKey());
            if (deadline.isEmpty()) {
                deadline = OptionalLong.of(due);
                earliest = from;
            } else {
                deadline = due - deadline.getAsLong() < 0 ? OptionalLong.of(due) : deadline;
                earliest = from - earliest < 0 ? from : earliest;
            }
        }
        if (deadline.equals(timerSet) && (deadline.isEmpty() || earliest == timerEarliest)) {
            return;
        }
        timerSet = deadline;
        timerEarliest = earliest;
        out.add(deadline.isPresent() ? new InstanceEffect.SetTimer(earliest, deadline.getAsLong())
                : new InstanceEffect.CancelTimer());
    }

    private void report(String what, String detail) {
        out.add(new InstanceEffect.ReportError(what, detail));
    }

    private void journal(Cause cause, Event event) {
        journal(cause, event, 0);
    }

    private void journal(Cause cause, Event event, long leaseEpoch) {
        out.add(new InstanceEffect.Journal(leaseEpoch, cause, event));
    }

    private static RoleInput role(VrrpState state) {
        return switch (state) {
            case INITIALIZE -> RoleInput.INITIALIZE;
            case BACKUP -> RoleInput.BACKUP;
            case MASTER -> RoleInput.MASTER;
            case FAULT -> RoleInput.FAULT;
        };
    }

    /** The state as the status contract and keepalived spell it. */
    public static String stateName(VrrpState state) {
        return state == VrrpState.INITIALIZE ? "INIT" : state.name();
    }
}
