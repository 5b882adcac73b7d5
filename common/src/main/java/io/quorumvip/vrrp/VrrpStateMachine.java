package io.quorumvip.vrrp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The VRRP state machine of one instance (RFC 5798 §6.4, RFC 3768 §6.4 for v2), with keepalived's choices where the
 * RFC leaves room. Pure and deterministic: no clock, no randomness, no I/O; the agent passes each input with the
 * monotonic time it happened and applies the returned outputs in order. Not thread-safe: one agent loop owns it.
 *
 * <p>Output order is chosen for the VIP's safety: a {@link VrrpOutput.StateChanged} leaving MASTER comes before the
 * priority-0 advert, so the agent drops the VIP before it invites a peer to take it.
 *
 * <p>preempt_delay follows keepalived 2.x vrrp.c {@code vrrp_state_backup}: while a delay window is open, a backup
 * accepts a lower-priority master's adverts instead of discarding them, so it does not preempt yet. The window opens
 * at start-up (keepalived sets {@code preempt_time} when it reads the config) and, after this node re-enters BACKUP
 * from MASTER or FAULT (which clears {@code preempt_time}), at the first advert from a lower-priority master. An
 * advert of higher or equal priority closes the window. Once it has run out, lower-priority adverts are discarded and
 * this node takes over when its Master_Down_Timer fires.
 */
public final class VrrpStateMachine {

    private static final int LOWEST_PRIORITY = 1;
    private static final int HIGHEST_NON_OWNER_PRIORITY = 254;
    private static final int LEAVING_PRIORITY = 0;

    private final VrrpConfig config;
    private final byte[] primaryAddressBytes;
    private final Set<String> faults = new LinkedHashSet<>();
    private final List<VrrpOutput> pending = new ArrayList<>();

    private VrrpState state = VrrpState.INITIALIZE;
    private int effectivePriority;
    private int masterAdverIntervalCentis;
    private VrrpTimer armedTimer;
    private long timerDeadlineNanos;
    private Cause nextMasterCause = new Cause.NoMasterHeard();
    private boolean preemptDelayRunning;
    private long preemptDelayEndsNanos;
    private long lastTransitionNanos;

    public VrrpStateMachine(VrrpConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.primaryAddressBytes = config.primaryAddress().getAddress();
        this.effectivePriority = config.priority();
        this.masterAdverIntervalCentis = config.advertIntervalCentis();
    }

    /** Feeds one input that happened at {@code nowNanos} (monotonic) and returns what to do, in order. */
    public Outputs step(VrrpInput input, long nowNanos) {
        Objects.requireNonNull(input, "input");
        pending.clear();
        if (input instanceof VrrpInput.Startup) {
            onStartup(nowNanos);
        } else if (input instanceof VrrpInput.Shutdown) {
            onShutdown(nowNanos);
        } else if (input instanceof VrrpInput.AdvertReceived advert) {
            onAdvert(advert, nowNanos);
        } else if (input instanceof VrrpInput.TimerFired) {
            onTimerFired(nowNanos);
        } else if (input instanceof VrrpInput.AdvertEarly) {
            if (state == VrrpState.MASTER && armedTimer == VrrpTimer.ADVER_TIMER) {
                sendAdvertAndRearm(nowNanos);
            }
        } else if (input instanceof VrrpInput.PriorityChanged change) {
            onPriorityChanged(change);
        } else if (input instanceof VrrpInput.FaultRaised fault) {
            onFaultRaised(fault, nowNanos);
        } else if (input instanceof VrrpInput.FaultCleared cleared) {
            onFaultCleared(cleared, nowNanos);
        } else if (input instanceof VrrpInput.ForceBackup yield) {
            onForceBackup(yield, nowNanos);
        } else if (input instanceof VrrpInput.TakeOver takeOver) {
            onTakeOver(takeOver, nowNanos);
        } else {
            throw new IllegalArgumentException("VRID " + config.vrid() + ": unhandled input " + input
                    + " (expected one of the VrrpInput records)");
        }
        return pending.isEmpty() ? Outputs.NONE : new Outputs(pending);
    }

    public VrrpConfig config() {
        return config;
    }

    public VrrpState state() {
        return state;
    }

    /** The priority this node advertises and elects with: configured, or changed by trackers (1..254). */
    public int effectivePriority() {
        return effectivePriority;
    }

    /** Master_Adver_Interval: the own interval, or in v3 BACKUP the one learned from the master. */
    public int masterAdverIntervalCentis() {
        return masterAdverIntervalCentis;
    }

    /** The armed timer's deadline, empty when none is armed. */
    public OptionalLong timerDeadlineNanos() {
        return armedTimer == null ? OptionalLong.empty() : OptionalLong.of(timerDeadlineNanos);
    }

    /** Which timer is armed, or null when none is. */
    public VrrpTimer armedTimer() {
        return armedTimer;
    }

    public long lastTransitionNanos() {
        return lastTransitionNanos;
    }

    private void onStartup(long now) {
        if (state != VrrpState.INITIALIZE) {
            throw new IllegalStateException("VRID " + config.vrid() + ": Startup in state " + state
                    + " (expected INITIALIZE); send Shutdown before starting again");
        }
        masterAdverIntervalCentis = config.advertIntervalCentis();
        if (!faults.isEmpty()) {
            transition(VrrpState.FAULT, now, new Cause.FaultDetected(faults.iterator().next()));
            return;
        }
        if (config.isAddressOwner() && config.initialState() == InitialState.MASTER) {
            becomeMaster(now, new Cause.StartedAsAddressOwner());
            return;
        }
        if (!config.preemptDelay().isZero()) {
            preemptDelayRunning = true;
            preemptDelayEndsNanos = now + config.preemptDelay().toNanos();
        }
        transition(VrrpState.BACKUP, now, new Cause.StartedUp(config.initialState()));
        nextMasterCause = new Cause.NoMasterHeard();
        long firstWait = config.initialState() == InitialState.MASTER
                ? VrrpIntervals.centisToNanos(masterAdverIntervalCentis)
                        + VrrpIntervals.minimumSkewNanos(config.version(), masterAdverIntervalCentis)
                : masterDownIntervalNanos();
        armTimer(VrrpTimer.MASTER_DOWN_TIMER, now + firstWait);
    }

    private void onShutdown(long now) {
        switch (state) {
            case MASTER -> {
                transition(VrrpState.INITIALIZE, now, new Cause.ShutDown());
                pending.add(new VrrpOutput.SendAdvert(LEAVING_PRIORITY));
                cancelTimer();
            }
            case BACKUP -> {
                transition(VrrpState.INITIALIZE, now, new Cause.ShutDown());
                cancelTimer();
            }
            case FAULT -> transition(VrrpState.INITIALIZE, now, new Cause.ShutDown());
            case INITIALIZE -> {
                // Already stopped: a second Shutdown changes nothing.
            }
        }
    }

    private void onAdvert(VrrpInput.AdvertReceived advert, long now) {
        if (state == VrrpState.MASTER) {
            masterOnAdvert(advert, now);
        } else if (state == VrrpState.BACKUP) {
            backupOnAdvert(advert, now);
        }
        // INITIALIZE and FAULT ignore adverts (RFC 5798 §6.4.1; keepalived FAULT).
    }

    private void backupOnAdvert(VrrpInput.AdvertReceived advert, long now) {
        if (advert.priority() == LEAVING_PRIORITY) {
            nextMasterCause = new Cause.MasterReleased(advert.sender());
            armTimer(VrrpTimer.MASTER_DOWN_TIMER, now + skewNanos());
            return;
        }
        boolean atLeastOurs = advert.priority() >= effectivePriority;
        if (!config.preempt() || atLeastOurs || insidePreemptDelay(now)) {
            if (config.version() == 3) {
                masterAdverIntervalCentis = advert.maxAdvertIntervalCentis();
            }
            nextMasterCause = new Cause.MasterSilent(advert.sender(), advert.priority());
            armTimer(VrrpTimer.MASTER_DOWN_TIMER, now + masterDownIntervalNanos());
            trackPreemptDelay(atLeastOurs, now);
        } else {
            // Discard: the timer keeps its deadline, so this node takes over when it fires.
            nextMasterCause = new Cause.PreemptedLowerPriority(advert.sender(), advert.priority());
        }
    }

    private boolean insidePreemptDelay(long now) {
        return !config.preemptDelay().isZero() && (!preemptDelayRunning || now - preemptDelayEndsNanos < 0);
    }

    private void trackPreemptDelay(boolean advertAtLeastOurs, long now) {
        if (config.preemptDelay().isZero()) {
            return;
        }
        if (advertAtLeastOurs) {
            preemptDelayRunning = false;
        } else if (!preemptDelayRunning) {
            preemptDelayRunning = true;
            preemptDelayEndsNanos = now + config.preemptDelay().toNanos();
        }
    }

    private void masterOnAdvert(VrrpInput.AdvertReceived advert, long now) {
        if (advert.priority() == LEAVING_PRIORITY) {
            sendAdvertAndRearm(now);
            return;
        }
        int order = compareWithOurs(advert);
        if (order > 0) {
            if (config.version() == 3) {
                masterAdverIntervalCentis = advert.maxAdvertIntervalCentis();
            }
            transition(VrrpState.BACKUP, now, new Cause.HigherPriorityAdvert(advert.sender(), advert.priority()));
            preemptDelayRunning = false;
            nextMasterCause = new Cause.MasterSilent(advert.sender(), advert.priority());
            armTimer(VrrpTimer.MASTER_DOWN_TIMER, now + masterDownIntervalNanos());
        } else if (order < 0) {
            // keepalived "received lower priority advert, forcing new election": answer at once so the other
            // node backs off now rather than at our next Adver_Timer. The cadence of our own timer is unchanged.
            pending.add(new VrrpOutput.SendAdvert(effectivePriority));
        }
        // order == 0: same priority from our own address, i.e. our advert looped back; nothing to decide.
    }

    /** Positive when the advert beats this node: higher priority, or equal priority from a higher address. */
    private int compareWithOurs(VrrpInput.AdvertReceived advert) {
        int byPriority = Integer.compare(advert.priority(), effectivePriority);
        if (byPriority != 0) {
            return byPriority;
        }
        return Arrays.compareUnsigned(advert.sender().getAddress(), primaryAddressBytes);
    }

    private void onTimerFired(long now) {
        if (armedTimer == null || now - timerDeadlineNanos < 0) {
            // A timer the agent armed earlier and we have since moved or cancelled.
            return;
        }
        if (state == VrrpState.MASTER) {
            sendAdvertAndRearm(now);
        } else if (state == VrrpState.BACKUP) {
            becomeMaster(now, nextMasterCause);
        }
    }

    private void onPriorityChanged(VrrpInput.PriorityChanged change) {
        if (config.isAddressOwner()) {
            // keepalived vrrp_set_effective_priority: an address owner's priority never changes.
            return;
        }
        int newPriority = Math.max(LOWEST_PRIORITY, Math.min(HIGHEST_NON_OWNER_PRIORITY, change.totalPriority()));
        if (newPriority == effectivePriority) {
            return;
        }
        boolean increasing = newPriority > effectivePriority;
        long oldDownInterval = masterDownIntervalNanos();
        effectivePriority = newPriority;
        if (state == VrrpState.BACKUP && increasing) {
            // keepalived moves the running Master_Down_Timer by the shrink of Skew_Time, so a backup that now
            // outranks the master preempts no later than a fresh timer would allow.
            armTimer(VrrpTimer.MASTER_DOWN_TIMER, timerDeadlineNanos - (oldDownInterval - masterDownIntervalNanos()));
        }
    }

    private void onFaultRaised(VrrpInput.FaultRaised fault, long now) {
        if (!faults.add(fault.source())) {
            return;
        }
        Cause cause = new Cause.FaultDetected(fault.source());
        switch (state) {
            case MASTER -> {
                transition(VrrpState.FAULT, now, cause);
                pending.add(new VrrpOutput.SendAdvert(LEAVING_PRIORITY));
                cancelTimer();
            }
            case BACKUP -> {
                transition(VrrpState.FAULT, now, cause);
                cancelTimer();
            }
            case INITIALIZE, FAULT -> {
                // Remembered: Startup enters FAULT while any fault is outstanding; FAULT already is.
            }
        }
    }

    private void onFaultCleared(VrrpInput.FaultCleared cleared, long now) {
        if (!faults.remove(cleared.source()) || !faults.isEmpty() || state != VrrpState.FAULT) {
            return;
        }
        masterAdverIntervalCentis = config.advertIntervalCentis();
        if (config.isAddressOwner()) {
            becomeMaster(now, new Cause.FaultsCleared());
            return;
        }
        transition(VrrpState.BACKUP, now, new Cause.FaultsCleared());
        preemptDelayRunning = false;
        nextMasterCause = new Cause.NoMasterHeard();
        armTimer(VrrpTimer.MASTER_DOWN_TIMER, now + masterDownIntervalNanos());
    }

    private void onForceBackup(VrrpInput.ForceBackup yield, long now) {
        if (state != VrrpState.MASTER) {
            return;
        }
        transition(VrrpState.BACKUP, now, new Cause.Yielded(yield.reason()));
        pending.add(new VrrpOutput.SendAdvert(LEAVING_PRIORITY));
        preemptDelayRunning = false;
        nextMasterCause = new Cause.NoMasterHeard();
        armTimer(VrrpTimer.MASTER_DOWN_TIMER, now + masterDownIntervalNanos());
    }

    private void onTakeOver(VrrpInput.TakeOver takeOver, long now) {
        if (state == VrrpState.BACKUP && armedTimer == VrrpTimer.MASTER_DOWN_TIMER
                && nextMasterCause instanceof Cause.MasterReleased) {
            becomeMaster(now, new Cause.TookOver(takeOver.reason()));
        }
    }

    private void becomeMaster(long now, Cause cause) {
        transition(VrrpState.MASTER, now, cause);
        masterAdverIntervalCentis = config.advertIntervalCentis();
        sendAdvertAndRearm(now);
    }

    private void sendAdvertAndRearm(long now) {
        pending.add(new VrrpOutput.SendAdvert(effectivePriority));
        armTimer(VrrpTimer.ADVER_TIMER, now + VrrpIntervals.centisToNanos(config.advertIntervalCentis()));
    }

    /** The only place the state changes; every change is reported with its cause. */
    private void transition(VrrpState to, long now, Cause cause) {
        VrrpState from = state;
        state = to;
        lastTransitionNanos = now;
        pending.add(new VrrpOutput.StateChanged(from, to, cause));
    }

    private void armTimer(VrrpTimer timer, long deadlineNanos) {
        armedTimer = timer;
        timerDeadlineNanos = deadlineNanos;
        pending.add(new VrrpOutput.ArmTimer(deadlineNanos, timer));
    }

    private void cancelTimer() {
        armedTimer = null;
        pending.add(new VrrpOutput.CancelTimer());
    }

    private long skewNanos() {
        return VrrpIntervals.skewNanos(config.version(), effectivePriority, masterAdverIntervalCentis);
    }

    private long masterDownIntervalNanos() {
        return VrrpIntervals.masterDownIntervalNanos(config.version(), effectivePriority, masterAdverIntervalCentis);
    }
}
