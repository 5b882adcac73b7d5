package io.quorumvip.agent;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.http.InstanceStatus;
import io.quorumvip.agent.http.LeaseStatus;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.instance.Causes;
import io.quorumvip.agent.lease.LeaseEvent;
import io.quorumvip.agent.lease.LeaseKeeper;
import io.quorumvip.agent.lease.LeaseSnapshot;
import io.quorumvip.agent.lease.LossCause;
import io.quorumvip.agent.script.Notifier;
import io.quorumvip.agent.vip.VipEffector;
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
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vrrp_instance at run time. It feeds the pure state machine its inputs with the time, then performs what the
 * machine asked for (send an advert, arm the timer) and what the ownership rule decides (bind or release the
 * addresses). Everything happens on the agent's event loop, so the machine is never touched by two threads.
 */
final class InstanceRunner {

    private static final Logger log = LoggerFactory.getLogger(InstanceRunner.class);
    private static final String QUORUM_FAULT = "quorum";
    private static final Duration WITHDRAW_BOUND = Duration.ofMillis(250);
    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final int LATCH_FREE_ATTEMPTS = 6;
    private static final long LATCH_FREE_RETRY_MILLIS = 50;

    private final String name;
    private final String iface;
    private final int configuredPriority;
    private final VrrpStateMachine machine;
    private final AdvertPublisher publisher;
    private final VipEffector vips;
    private final Notifier notifier;
    private final AgentMetrics metrics;
    private final Vertx vertx;
    private final LongSupplier monotonicNanos;
    private final AgentJournal journal;
    private final Optional<LeaseKeeper> lease;
    private final Duration advertInterval;
    private final Map<String, TrackerStatus> trackers = new LinkedHashMap<>();
    private EffectivePriority.Result trackedPriority;
    private OwnershipDecision decision;
    private long timerId = -1;
    private InetAddress lastMasterSeen;
    private Context context;
    private long validityTimer = -1;
    private long alignedRenewalTimer = -1;
    private long confirmTimer = -1;
    private long kernelLifetimeEndNanos;
    private long quorumProbeTimer = -1;
    private boolean quorumFault;
    private long lastReannounceNanos;

    InstanceRunner(String name, String iface, int configuredPriority, VrrpStateMachine machine,
                   AdvertPublisher publisher, VipEffector vips, Notifier notifier, AgentMetrics metrics, Vertx vertx,
                   LongSupplier monotonicNanos, AgentJournal journal, Optional<LeaseKeeper> lease) {
        this.name = name;
        this.iface = iface;
        this.configuredPriority = configuredPriority;
        this.machine = machine;
        this.publisher = publisher;
        this.vips = vips;
        this.notifier = notifier;
        this.metrics = metrics;
        this.vertx = vertx;
        this.monotonicNanos = monotonicNanos;
        this.journal = journal;
        this.lease = lease;
        this.advertInterval = Duration.ofMillis(machine.config().advertIntervalCentis() * 10L);
        this.trackedPriority = new EffectivePriority.Result(configuredPriority, List.of());
        metrics.declareInstance(name);
        metrics.effectivePriority(name, configuredPriority);
    }

    String name() {
        return name;
    }

    int vrid() {
        return machine.config().vrid();
    }

    /** Declares a tracker before start; its verdict counts from the first step on. */
    void track(TrackerStatus tracker) {
        trackers.put(tracker.name(), tracker);
    }

    void start() {
        context = vertx.getOrCreateContext();
        vips.release(new Cause(CauseKind.STARTUP, "not owned until won", 0), OptionalLong.empty());
        EffectivePriority.Result initial = EffectivePriority.compute(configuredPriority, List.copyOf(trackers.values()));
        for (String source : initial.faultingTrackers()) {
            apply(machine.step(new VrrpInput.FaultRaised(source), now()));
        }
        if (initial.priority() != configuredPriority) {
            apply(machine.step(new VrrpInput.PriorityChanged(initial.priority()), now()));
        }
        trackedPriority = initial;
        apply(machine.step(new VrrpInput.Startup(), now()));
    }

    void onAdvert(InetAddress sender, int priority, int advertIntervalCentis) {
        metrics.advertReceived(name);
        if (priority > 0 && !sender.equals(lastMasterSeen)) {
            lastMasterSeen = sender;
            journal.record(Cause.advert(sender.getHostAddress(), priority),
                    new Event.NewMasterSeen(name, sender.getHostAddress(), priority));
        }
        VrrpState before = machine.state();
        apply(machine.step(new VrrpInput.AdvertReceived(sender, priority, advertIntervalCentis), now()));
        if (priority == 0 && before == VrrpState.BACKUP) {
            takeOverIfLeaseFree(sender);
        }
        if (before == VrrpState.MASTER && machine.state() == VrrpState.MASTER && vips.owned()) {
            reannounceAfterDualMaster(sender);
        }
    }

    /** A lease event, delivered on the agent's context. */
    void onLease(LeaseEvent event) {
        long session = lease.map(LeaseKeeper::sessionId).orElse(0L);
        Cause cause = Cause.leaseWatch(leaseEventName(event), session);
        metrics.leaseEvent(name, leaseEventName(event));
        if (event instanceof LeaseEvent.Acquired acquired) {
            log.atInfo().setMessage("quorum lease acquired").addKeyValue("instance", name)
                    .addKeyValue("epoch", acquired.epoch()).addKeyValue("session", Long.toHexString(session)).log();
            journal.record(acquired.epoch(), cause, new Event.LeaseAcquired(name, acquired.sessionId(),
                    acquired.validUntilNanos()));
        } else if (event instanceof LeaseEvent.Lapsed lapsed) {
            log.atWarn().setMessage("quorum lease can no longer be proven: no answer from ZooKeeper in time")
                    .addKeyValue("instance", name).addKeyValue("epoch", lapsed.epoch()).log();
            journal.record(lapsed.epoch(), cause, new Event.LeaseConfirmationLapsed(name, session,
                    lapsed.validUntilNanos()));
            if (machine.state() == VrrpState.MASTER) {
                raiseQuorumFault("lease lapsed");
            }
        } else if (event instanceof LeaseEvent.Lost lost) {
            log.atWarn().setMessage("quorum lease lost").addKeyValue("instance", name)
                    .addKeyValue("epoch", lost.epoch()).addKeyValue("cause", lost.cause()).log();
            journal.record(lost.epoch(), new Cause(CauseKind.LEASE_WATCH, lost.cause().name(), session),
                    new Event.LeaseLost(name, session));
            if (lost.cause() == LossCause.SESSION_LOST && machine.state() == VrrpState.MASTER) {
                raiseQuorumFault("ZooKeeper session lost");
            }
        } else if (event instanceof LeaseEvent.Released released) {
            journal.record(released.epoch(), cause, new Event.LeaseReleased(name, session));
        } else if (event instanceof LeaseEvent.Connection connection) {
            if (connection.usable()) {
                clearQuorumFault("ZooKeeper " + connection.state());
            } else {
                raiseQuorumFault("ZooKeeper " + connection.state());
            }
        }
        reconcileOwnership(cause);
    }

    /** A tracker's verdict changed: recompute the effective priority and the fault set. */
    void onTracker(String tracker, boolean healthy) {
        TrackerStatus old = trackers.get(tracker);
        if (old == null || old.healthy() == healthy) {
            return;
        }
        trackers.put(tracker, new TrackerStatus(tracker, old.weight(), healthy));
        EffectivePriority.Result next = EffectivePriority.compute(configuredPriority, List.copyOf(trackers.values()));
        if (old.weight() == 0) {
            apply(machine.step(healthy ? new VrrpInput.FaultCleared(tracker) : new VrrpInput.FaultRaised(tracker),
                    now()));
        }
        if (next.priority() != trackedPriority.priority()) {
            log.atInfo().setMessage("effective priority changed").addKeyValue("instance", name)
                    .addKeyValue("from", trackedPriority.priority()).addKeyValue("to", next.priority())
                    .addKeyValue("tracker", tracker).addKeyValue("healthy", healthy).log();
            metrics.effectivePriority(name, next.priority());
            journal.record(Cause.health(tracker, old.weight()), new Event.EffectivePriorityChanged(name,
                    configuredPriority, trackedPriority.priority(), next.priority()));
            apply(machine.step(new VrrpInput.PriorityChanged(next.priority()), now()));
        }
        trackedPriority = next;
    }

    /**
     * Graceful stop: the addresses go first, then the priority-0 advert invites a backup to take over at once.
     *
     * @return completes when the notify_stop scripts have run
     */
    CompletableFuture<Void> shutdown() {
        apply(machine.step(new VrrpInput.Shutdown(), now()));
        cancelTimer();
        cancelValidityTimer();
        stopConfirming();
        stopQuorumProbe();
        releaseVips(new Cause(CauseKind.SHUTDOWN, "shutdown", 0));
        return notifier.entered("STOP", machine.effectivePriority());
    }

    InstanceStatus status() {
        List<String> addresses = vips.vips().stream()
                .map(v -> v.address().getHostAddress() + "/" + v.prefixLength()).toList();
        return new InstanceStatus(name, vrid(), iface, stateName(machine.state()), configuredPriority,
                machine.effectivePriority(), leaseStatus(), vips.owned(), addresses,
                decision == null ? "NOT_STARTED" : decision.reason().name());
    }

    private void apply(Outputs outputs) {
        // State changes first: leaving MASTER must drop the addresses before the priority-0 advert goes out.
        for (VrrpOutput output : outputs.items()) {
            if (output instanceof VrrpOutput.StateChanged changed) {
                onStateChanged(changed);
            }
        }
        if (decision != null && decision.own() && !vips.owned()) {
            reconcileOwnership(new Cause(CauseKind.NONE, "retrying a bind that failed", 0));
        }
        for (VrrpOutput output : outputs.items()) {
            if (output instanceof VrrpOutput.SendAdvert send) {
                send(send.priority());
            } else if (output instanceof VrrpOutput.ArmTimer arm) {
                arm(arm.deadlineNanos());
            } else if (output instanceof VrrpOutput.CancelTimer) {
                cancelTimer();
            }
        }
    }

    private void onStateChanged(VrrpOutput.StateChanged changed) {
        String from = stateName(changed.from());
        String to = stateName(changed.to());
        log.atInfo().setMessage("VRRP state changed").addKeyValue("instance", name).addKeyValue("from", from)
                .addKeyValue("to", to).addKeyValue("cause", changed.cause()).log();
        metrics.transition(name, from, to);
        Cause cause = Causes.of(changed.cause());
        journal.record(cause, new Event.VrrpStateChanged(name, vrid(), role(changed.from()), role(changed.to())));
        if (changed.to() == VrrpState.FAULT) {
            journal.record(cause, new Event.FaultEntered(name, cause.subject()));
        } else if (changed.from() == VrrpState.FAULT) {
            journal.record(cause, new Event.FaultCleared(name));
        }
        if (changed.to() == VrrpState.MASTER) {
            // This node is the master it hears now: whoever advertises next is news, and journaling it records
            // when a heartbeat split healed (and that this node lived through it) even for a quiet owner.
            lastMasterSeen = null;
            lease.ifPresent(keeper -> {
                journal.record(cause, new Event.LeaseRequested(name, keeper.sessionId()));
                keeper.contend();
                startConfirming(keeper);
            });
        }
        reconcileOwnership(cause);
        if (changed.from() == VrrpState.MASTER) {
            // Addresses first (just above), then the latch, then (in apply) the priority-0 advert: the backup it
            // invites finds the lease already free.
            stopConfirming();
            lease.ifPresent(keeper -> keeper.withdrawAndWait(WITHDRAW_BOUND));
        }
        if (changed.to() != VrrpState.INITIALIZE) {
            notifier.entered(to, machine.effectivePriority());
        }
    }

    /**
     * own = MASTER ∧ ¬FAULT ∧ (no quorum ∨ lease provably valid now). With a lease, the addresses carry a kernel
     * lifetime that ends before the lease could have expired at ZooKeeper, so a frozen or cut-off node loses them
     * by itself; each confirmation renews it.
     */
    private void reconcileOwnership(Cause cause) {
        LeaseSnapshot snapshot = lease.map(LeaseKeeper::snapshot).orElse(LeaseSnapshot.NONE);
        long now = now();
        OwnershipInputs inputs = new OwnershipInputs(role(machine.state()), machine.state() == VrrpState.FAULT,
                lease.isPresent(), snapshot.held() && snapshot.proven(), snapshot.validUntilNanos(), now);
        OwnershipDecision next = OwnershipRule.decide(inputs);
        if (!next.equals(decision)) {
            journal.record(snapshot.epoch(), cause, new Event.OwnershipDecided(name, inputs, next));
        }
        decision = next;
        metrics.lease(name, snapshot.held() && snapshot.validAt(now), snapshot.validForNanos(now) / 1e9);
        if (!decision.own()) {
            cancelValidityTimer();
            if (vips.owned()) {
                releaseVips(cause);
            }
            return;
        }
        if (lease.isEmpty()) {
            vips.own(Optional.empty(), cause);
            return;
        }
        long validUntil = snapshot.validUntilNanos();
        long seconds = LeaseTiming.kernelLifetimeSeconds(validUntil, now);
        if (!vips.owned() || KernelLifetime.extendsLifetime(now, seconds, kernelLifetimeEndNanos)) {
            // Never shortened and never removed early: an address bound earlier keeps the lifetime it was given,
            // which already ends within the lease; the agent lets go of it when validUntil passes.
            bindWithin(validUntil, seconds, cause);
        }
        scheduleAlignedRenewal(validUntil);
        armValidityTimer(validUntil);
    }

    /**
     * Binds or renews with a lifetime of {@code seconds}, then checks it against the lease as of the kernel's
     * answer: the kernel counts from when it handled the request, so a pause before that must not stretch it.
     */
    private void bindWithin(long validUntil, long seconds, Cause cause) {
        if (seconds < 1) {
            return;
        }
        vips.own(Optional.of(Duration.ofSeconds(seconds)), cause);
        long ack = now();
        kernelLifetimeEndNanos = ack + seconds * SECOND_NANOS;
        long afterAck = LeaseTiming.kernelLifetimeSeconds(validUntil, ack);
        if (afterAck >= 1 && afterAck < seconds) {
            vips.own(Optional.of(Duration.ofSeconds(afterAck)), cause);
            kernelLifetimeEndNanos = now() + afterAck * SECOND_NANOS;
        } else if (afterAck < 1) {
            releaseVips(new Cause(CauseKind.LEASE_WATCH, "paused while binding: lease too close to its end", 0));
        }
    }

    /**
     * Releases the addresses, telling the effector when the kernel lifetime they were last given ran out, if it
     * has: an address already gone then was removed by the kernel, not by this release.
     */
    private void releaseVips(Cause cause) {
        boolean ranOut = lease.isPresent() && vips.owned() && kernelLifetimeEndNanos - now() <= 0;
        vips.release(cause, ranOut ? OptionalLong.of(kernelLifetimeEndNanos) : OptionalLong.empty());
    }

    /**
     * Kernel lifetimes come in whole seconds, so a renewal right after a confirmation loses up to a second of the
     * proven validity. One renewal timed so that the lifetime ends just before validUntil wins it back, which is
     * what carries the owner through a ZooKeeper leader election without dropping the address.
     */
    private void scheduleAlignedRenewal(long validUntil) {
        if (alignedRenewalTimer >= 0) {
            return;
        }
        long now = now();
        OptionalLong renewAt = KernelLifetime.alignedRenewalAt(validUntil, now, kernelLifetimeEndNanos);
        if (renewAt.isEmpty()) {
            return;
        }
        alignedRenewalTimer = vertx.setTimer(Math.max(1, (renewAt.getAsLong() - now) / 1_000_000), id -> {
            alignedRenewalTimer = -1;
            LeaseSnapshot latest = lease.map(LeaseKeeper::snapshot).orElse(LeaseSnapshot.NONE);
            long at = now();
            if (decision != null && decision.own() && vips.owned() && latest.held() && latest.validAt(at)) {
                long seconds = LeaseTiming.kernelLifetimeSeconds(latest.validUntilNanos(), at);
                if (KernelLifetime.extendsLifetime(at, seconds, kernelLifetimeEndNanos)) {
                    bindWithin(latest.validUntilNanos(), seconds,
                            new Cause(CauseKind.LEASE_WATCH, "lifetime aligned with the lease", seconds));
                }
            }
        });
    }

    /** While MASTER, the lease is confirmed a few times per advert interval, so one slow answer costs little. */
    private void startConfirming(LeaseKeeper keeper) {
        stopConfirming();
        long period = Math.max(100, Math.min(1000, advertInterval.toMillis() / 4));
        confirmTimer = vertx.setPeriodic(period, id -> keeper.confirm());
    }

    private void stopConfirming() {
        if (confirmTimer >= 0) {
            vertx.cancelTimer(confirmTimer);
            confirmTimer = -1;
        }
        if (alignedRenewalTimer >= 0) {
            vertx.cancelTimer(alignedRenewalTimer);
            alignedRenewalTimer = -1;
        }
    }

    /** Re-decides when the lease's proven validity ends, in case no confirmation moves it on before. */
    private void armValidityTimer(long validUntilNanos) {
        cancelValidityTimer();
        long delayMillis = Math.max(1, (validUntilNanos - now()) / 1_000_000 + 1);
        validityTimer = vertx.setTimer(delayMillis, id -> {
            validityTimer = -1;
            reconcileOwnership(new Cause(CauseKind.LEASE_WATCH, "validity ended", 0));
        });
    }

    private void cancelValidityTimer() {
        if (validityTimer >= 0) {
            vertx.cancelTimer(validityTimer);
            validityTimer = -1;
        }
    }

    /** Quorum loss is a fault: the node stops advertising (after a priority-0 advert) so a node with quorum wins. */
    private void raiseQuorumFault(String reason) {
        if (quorumFault) {
            return;
        }
        quorumFault = true;
        log.atWarn().setMessage("quorum unreachable: entering FAULT so a node that reaches it can take over")
                .addKeyValue("instance", name).addKeyValue("reason", reason).log();
        apply(machine.step(new VrrpInput.FaultRaised(QUORUM_FAULT), now()));
        quorumProbeTimer = vertx.setPeriodic(Math.max(100, advertInterval.toMillis()), id -> lease.ifPresent(
                keeper -> keeper.checkReachable(reachable -> {
                    if (reachable) {
                        context.runOnContext(v -> clearQuorumFault("ZooKeeper answers through its leader again"));
                    }
                })));
    }

    private void clearQuorumFault(String reason) {
        if (!quorumFault) {
            return;
        }
        quorumFault = false;
        stopQuorumProbe();
        log.atInfo().setMessage("quorum reachable again: leaving FAULT").addKeyValue("instance", name)
                .addKeyValue("reason", reason).log();
        apply(machine.step(new VrrpInput.FaultCleared(QUORUM_FAULT), now()));
    }

    private void stopQuorumProbe() {
        if (quorumProbeTimer >= 0) {
            vertx.cancelTimer(quorumProbeTimer);
            quorumProbeTimer = -1;
        }
    }

    /**
     * The master left with priority 0. When its lease is already gone from ZooKeeper there is nobody to wait for:
     * take over now rather than after Skew_Time.
     */
    private void takeOverIfLeaseFree(InetAddress releasedMaster) {
        lease.ifPresent(keeper -> askLatchFree(keeper, releasedMaster, LATCH_FREE_ATTEMPTS));
    }

    /**
     * The leaving master deletes its latch znode before its priority-0 advert, but under load the deletion can land
     * after our first look; look again a few times within the skew wait the state machine is running anyway.
     */
    private void askLatchFree(LeaseKeeper keeper, InetAddress releasedMaster, int attemptsLeft) {
        keeper.checkLatchFree(free -> context.runOnContext(v -> {
            if (machine.state() != VrrpState.BACKUP) {
                return;
            }
            if (free) {
                apply(machine.step(
                        new VrrpInput.TakeOver("lease of " + releasedMaster.getHostAddress() + " released"), now()));
            } else if (attemptsLeft > 1) {
                vertx.setTimer(LATCH_FREE_RETRY_MILLIS, id -> askLatchFree(keeper, releasedMaster, attemptsLeft - 1));
            }
        }));
    }

    /**
     * Another master's advert reached this owner: a heartbeat split is healing. Clients may have learnt the other
     * node's MAC meanwhile (without a quorum it may have bound the address too), so announce again, at most once
     * per advert interval.
     */
    private void reannounceAfterDualMaster(InetAddress otherMaster) {
        long now = now();
        if (now - lastReannounceNanos < advertInterval.toNanos()) {
            return;
        }
        lastReannounceNanos = now;
        log.atInfo().setMessage("another master heard: announcing the addresses again").addKeyValue("instance", name)
                .addKeyValue("other", otherMaster.getHostAddress()).log();
        vips.reannounce();
    }

    private LeaseStatus leaseStatus() {
        if (lease.isEmpty()) {
            return LeaseStatus.NONE;
        }
        LeaseSnapshot snapshot = lease.get().snapshot();
        long now = now();
        boolean valid = snapshot.held() && snapshot.validAt(now);
        return new LeaseStatus(valid, snapshot.held() ? snapshot.epoch() : null,
                valid ? snapshot.validForNanos(now) / 1_000_000 : 0);
    }

    private static String leaseEventName(LeaseEvent event) {
        if (event instanceof LeaseEvent.Acquired) {
            return "acquired";
        } else if (event instanceof LeaseEvent.Confirmed) {
            return "confirmed";
        } else if (event instanceof LeaseEvent.Lapsed) {
            return "lapsed";
        } else if (event instanceof LeaseEvent.Lost) {
            return "lost";
        } else if (event instanceof LeaseEvent.Released) {
            return "released";
        }
        return "connection";
    }

    private void send(int priority) {
        try {
            publisher.publish(priority);
            metrics.advertSent(name);
        } catch (IOException e) {
            metrics.error(name, "send");
            log.atWarn().setMessage("advert not sent").addKeyValue("instance", name)
                    .addKeyValue("priority", priority).addKeyValue("error", e.getMessage()).log();
        }
    }

    private void arm(long deadlineNanos) {
        cancelTimer();
        long delayMillis = Math.max(1, (deadlineNanos - now() + 999_999) / 1_000_000);
        timerId = vertx.setTimer(delayMillis, id -> {
            timerId = -1;
            if (machine.state() == VrrpState.MASTER && ownedPastItsLease()) {
                // Back from a pause (SIGSTOP, a long GC): the lease ran out while this process was frozen. Say so
                // with priority 0 instead of advertising a mastership it can no longer back.
                raiseQuorumFault("lease ran out while this process was not running");
                return;
            }
            apply(machine.step(new VrrpInput.TimerFired(), now()));
        });
    }

    /** A lease this node held (the latch says so) that can no longer be proven: it ran out unseen. */
    private boolean ownedPastItsLease() {
        if (lease.isEmpty()) {
            return false;
        }
        LeaseSnapshot snapshot = lease.get().snapshot();
        return snapshot.held() && !snapshot.validAt(now());
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private long now() {
        return monotonicNanos.getAsLong();
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
    static String stateName(VrrpState state) {
        return state == VrrpState.INITIALIZE ? "INIT" : state.name();
    }
}
