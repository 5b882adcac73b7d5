package io.quorumvip.sim;

import io.quorumvip.lease.KernelLifetime;
import io.quorumvip.lease.LeaseTiming;
import io.quorumvip.ownership.OwnershipDecision;
import io.quorumvip.ownership.OwnershipInputs;
import io.quorumvip.ownership.OwnershipRule;
import io.quorumvip.ownership.RoleInput;
import io.quorumvip.vrrp.Outputs;
import io.quorumvip.vrrp.VrrpInput;
import io.quorumvip.vrrp.VrrpOutput;
import io.quorumvip.vrrp.VrrpState;
import io.quorumvip.vrrp.VrrpStateMachine;
import java.net.InetAddress;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One simulated agent with one VRRP instance.
 *
 * <p><b>Real production code</b>, called exactly as the agent calls it: {@link VrrpStateMachine} (every input,
 * output and timer), {@link OwnershipRule} on {@link OwnershipInputs}, {@link LeaseTiming#kernelLifetimeSeconds}
 * and {@link KernelLifetime} (when to renew the kernel lifetime), and, inside {@link SimLeaseKeeper},
 * {@link io.quorumvip.lease.LeaseValidity}.
 *
 * <p><b>A model</b> (a line-by-line mirror, same method names, to be kept in step by hand): node-agent's
 * {@code InstanceRunner} (state changes before adverts; contend and confirm every advert_int/4 while MASTER;
 * bind with a lifetime and check it against the kernel's answer; the aligned renewal; the validity timer; FAULT
 * on lapse or session loss and the probe that clears it; TakeOver when a priority-0 advert came and the latch is
 * free; leaving MASTER drops the VIP, then the latch, then sends priority 0) and {@code VipEffector}'s
 * bind/release. Vert.x timers become scheduler events on the agent's own drifting clock; lease events reach the
 * runner asynchronously, as they cross threads in the agent.
 *
 * <p>Left out because they never add an address: the journal (its write-ahead can only prevent a bind), notify
 * scripts, metrics, trackers, gratuitous ARP and the re-announcement after a dual-master episode.
 */
final class SimAgent {

    /** How the agent multicasts an advert on the LAN. */
    interface Adverts {
        void publish(int fromNode, int priority, int advertIntervalCentis);
    }

    private static final String QUORUM_FAULT = "quorum";
    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long MILLI_NANOS = 1_000_000L;
    private static final int LATCH_FREE_ATTEMPTS = 6;
    private static final long LATCH_FREE_RETRY_MILLIS = 50;
    private static final long NO_CHECK_VALIDITY_NANOS = 3_600 * SECOND_NANOS;

    private final int node;
    private final String name;
    private final VrrpStateMachine machine;
    private final SimScheduler scheduler;
    private final SimClock clock;
    private final SimKernel kernel;
    private final SimLeaseKeeper lease;
    private final Adverts adverts;
    private final SimTrace trace;
    private final Set<SimulationBugs> bugs;
    private final long advertIntervalMillis;
    private OwnershipDecision decision;
    private boolean owned;
    private SimScheduler.Scheduled timer;
    private SimScheduler.Scheduled validityTimer;
    private SimScheduler.Scheduled alignedRenewalTimer;
    private Periodic confirmTimer;
    private Periodic quorumProbeTimer;
    private long kernelLifetimeEndNanos;
    private boolean quorumFault;
    /** After a graceful stop the process is on its way out: what still arrives is not handled. */
    private boolean stopped;

    SimAgent(int node, String name, VrrpStateMachine machine, SimScheduler scheduler, SimClock clock,
             SimKernel kernel, SimZkClient zooKeeper, Adverts adverts, SimTrace trace, Set<SimulationBugs> bugs) {
        this.node = node;
        this.name = name;
        this.machine = machine;
        this.scheduler = scheduler;
        this.clock = clock;
        this.kernel = kernel;
        this.adverts = adverts;
        this.trace = trace;
        this.bugs = bugs;
        this.advertIntervalMillis = machine.config().advertIntervalCentis() * 10L;
        this.lease = new SimLeaseKeeper(name, scheduler, clock, zooKeeper, this::onLease, trace);
        zooKeeper.start(lease);
    }

    void start() {
        release("not owned until won");
        apply(machine.step(new VrrpInput.Startup(), now()));
    }

    void onAdvert(InetAddress sender, int priority, int advertIntervalCentis) {
        if (stopped) {
            return;
        }
        VrrpState before = machine.state();
        apply(machine.step(new VrrpInput.AdvertReceived(sender, priority, advertIntervalCentis), now()));
        if (priority == 0 && before == VrrpState.BACKUP) {
            takeOverIfLeaseFree(sender);
        }
    }

    void onLease(SimLeaseEvent event) {
        if (stopped) {
            return;
        }
        if (event instanceof SimLeaseEvent.Lapsed) {
            if (machine.state() == VrrpState.MASTER) {
                raiseQuorumFault("lease lapsed");
            }
        } else if (event instanceof SimLeaseEvent.Lost lost) {
            if (lost.cause() == SimLeaseEvent.Cause.SESSION_LOST && machine.state() == VrrpState.MASTER) {
                raiseQuorumFault("ZooKeeper session lost");
            }
        } else if (event instanceof SimLeaseEvent.Connection connection) {
            if (connection.usable()) {
                clearQuorumFault("ZooKeeper " + connection.state());
            } else {
                raiseQuorumFault("ZooKeeper " + connection.state());
            }
        }
        reconcileOwnership("lease " + event.getClass().getSimpleName());
    }

    /** Graceful stop: the address goes first, then the latch, then the priority-0 advert. */
    void shutdown() {
        apply(machine.step(new VrrpInput.Shutdown(), now()));
        cancel(timer);
        cancel(validityTimer);
        stopConfirming();
        stopQuorumProbe();
        release("shutdown");
        stopped = true;
    }

    private void apply(Outputs outputs) {
        for (VrrpOutput output : outputs.items()) {
            if (output instanceof VrrpOutput.StateChanged changed) {
                onStateChanged(changed);
            }
        }
        if (decision != null && decision.own() && !owned) {
            reconcileOwnership("retrying a bind that failed");
        }
        for (VrrpOutput output : outputs.items()) {
            if (output instanceof VrrpOutput.SendAdvert send) {
                adverts.publish(node, send.priority(), machine.config().advertIntervalCentis());
            } else if (output instanceof VrrpOutput.ArmTimer arm) {
                arm(arm.deadlineNanos());
            } else if (output instanceof VrrpOutput.CancelTimer) {
                cancel(timer);
            }
        }
    }

    private void onStateChanged(VrrpOutput.StateChanged changed) {
        trace.line(scheduler.now(), name, changed.from() + " -> " + changed.to() + " (" + changed.cause() + ")");
        if (changed.to() == VrrpState.MASTER) {
            lease.contend();
            startConfirming();
        }
        reconcileOwnership("state " + changed.to());
        if (changed.from() == VrrpState.MASTER) {
            stopConfirming();
            lease.withdraw();
        }
    }

    private void reconcileOwnership(String cause) {
        SimLeaseSnapshot snapshot = lease.snapshot();
        long now = now();
        long validUntil = bugs.contains(SimulationBugs.NO_LEASE_CHECK) ? now + NO_CHECK_VALIDITY_NANOS
                : snapshot.validUntilNanos();
        OwnershipInputs inputs = new OwnershipInputs(role(machine.state()), machine.state() == VrrpState.FAULT,
                true, snapshot.held() && snapshot.proven(), validUntil, now);
        OwnershipDecision next = OwnershipRule.decide(inputs);
        if (!next.equals(decision)) {
            trace.line(scheduler.now(), name, "decided " + next.reason() + " (" + cause + ")");
        }
        decision = next;
        if (!decision.own()) {
            cancel(validityTimer);
            if (owned) {
                release(cause);
            }
            return;
        }
        long seconds = LeaseTiming.kernelLifetimeSeconds(validUntil, now);
        if (!owned || KernelLifetime.extendsLifetime(now, seconds, kernelLifetimeEndNanos)) {
            bindWithin(validUntil, seconds);
        }
        scheduleAlignedRenewal(validUntil);
        armValidityTimer(validUntil);
    }

    private void bindWithin(long validUntil, long seconds) {
        if (seconds < 1) {
            return;
        }
        own(seconds);
        long ack = now();
        long afterAck = LeaseTiming.kernelLifetimeSeconds(validUntil, ack);
        if (afterAck >= seconds) {
            kernelLifetimeEndNanos = ack + seconds * SECOND_NANOS;
        } else if (afterAck >= 1) {
            own(afterAck);
            kernelLifetimeEndNanos = now() + afterAck * SECOND_NANOS;
        } else {
            release("paused while binding: lease too close to its end");
        }
    }

    private void scheduleAlignedRenewal(long validUntil) {
        if (alignedRenewalTimer != null) {
            return;
        }
        long now = now();
        OptionalLong renewAt = KernelLifetime.alignedRenewalAt(validUntil, now, kernelLifetimeEndNanos);
        if (renewAt.isEmpty()) {
            return;
        }
        alignedRenewalTimer = afterMillis(Math.max(1, (renewAt.getAsLong() - now) / 1_000_000), () -> {
            alignedRenewalTimer = null;
            SimLeaseSnapshot latest = lease.snapshot();
            long at = now();
            if (decision != null && decision.own() && owned && latest.held() && latest.validAt(at)) {
                long seconds = LeaseTiming.kernelLifetimeSeconds(latest.validUntilNanos(), at);
                if (KernelLifetime.extendsLifetime(at, seconds, kernelLifetimeEndNanos)) {
                    bindWithin(latest.validUntilNanos(), seconds);
                }
            }
        });
    }

    private void startConfirming() {
        stopConfirming();
        long period = Math.max(100, Math.min(1000, advertIntervalMillis / 4));
        confirmTimer = periodic(period, lease::confirm);
    }

    private void stopConfirming() {
        confirmTimer = cancel(confirmTimer);
        alignedRenewalTimer = cancel(alignedRenewalTimer);
    }

    private void armValidityTimer(long validUntilNanos) {
        cancel(validityTimer);
        long delayMillis = Math.max(1, (validUntilNanos - now()) / 1_000_000 + 1);
        validityTimer = afterMillis(delayMillis, () -> {
            validityTimer = null;
            reconcileOwnership("validity ended");
        });
    }

    private void raiseQuorumFault(String reason) {
        if (quorumFault) {
            return;
        }
        quorumFault = true;
        trace.line(scheduler.now(), name, "quorum fault: " + reason);
        apply(machine.step(new VrrpInput.FaultRaised(QUORUM_FAULT), now()));
        quorumProbeTimer = periodic(Math.max(100, advertIntervalMillis), () -> lease.checkReachable(reachable -> {
            if (reachable && !stopped) {
                clearQuorumFault("ZooKeeper answers through its leader again");
            }
        }));
    }

    private void clearQuorumFault(String reason) {
        if (!quorumFault) {
            return;
        }
        quorumFault = false;
        stopQuorumProbe();
        trace.line(scheduler.now(), name, "quorum fault cleared: " + reason);
        apply(machine.step(new VrrpInput.FaultCleared(QUORUM_FAULT), now()));
    }

    private void stopQuorumProbe() {
        quorumProbeTimer = cancel(quorumProbeTimer);
    }

    private void takeOverIfLeaseFree(InetAddress releasedMaster) {
        askLatchFree(releasedMaster, LATCH_FREE_ATTEMPTS);
    }

    private void askLatchFree(InetAddress releasedMaster, int attemptsLeft) {
        lease.checkLatchFree(free -> {
            if (stopped || machine.state() != VrrpState.BACKUP) {
                return;
            }
            if (free) {
                apply(machine.step(new VrrpInput.TakeOver("lease of " + releasedMaster.getHostAddress()
                        + " released"), now()));
            } else if (attemptsLeft > 1) {
                afterMillis(LATCH_FREE_RETRY_MILLIS, () -> askLatchFree(releasedMaster, attemptsLeft - 1));
            }
        });
    }

    private void arm(long deadlineNanos) {
        cancel(timer);
        long delayMillis = Math.max(1, (deadlineNanos - now() + 999_999) / 1_000_000);
        timer = afterMillis(delayMillis, () -> {
            timer = null;
            if (machine.state() == VrrpState.MASTER && ownedPastItsLease()) {
                raiseQuorumFault("lease ran out while this process was not running");
                return;
            }
            apply(machine.step(new VrrpInput.TimerFired(), now()));
        });
    }

    private boolean ownedPastItsLease() {
        SimLeaseSnapshot snapshot = lease.snapshot();
        return snapshot.held() && !snapshot.validAt(now());
    }

    /** VipEffector.own: binds or renews, with the lifetime (none under the NO_KERNEL_LIFETIME bug). */
    private void own(long lifetimeSeconds) {
        kernel.addOrRenew(bugs.contains(SimulationBugs.NO_KERNEL_LIFETIME) ? OptionalLong.empty()
                : OptionalLong.of(lifetimeSeconds));
        owned = true;
    }

    /** VipEffector.release: removes the address whether or not this process added it. */
    private void release(String cause) {
        if (owned || kernel.holds()) {
            trace.line(scheduler.now(), name, "release: " + cause);
        }
        owned = false;
        kernel.remove();
    }

    private SimScheduler.Scheduled afterMillis(long millis, Runnable action) {
        long due = clock.global(now() + millis * MILLI_NANOS);
        return scheduler.at(Math.max(due, scheduler.now()), node, action);
    }

    /** A Vert.x periodic timer: after a pause it fires once, late, and then keeps its period. */
    private Periodic periodic(long millis, Runnable action) {
        Periodic periodic = new Periodic();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (!periodic.cancelled) {
                action.run();
                afterMillis(millis, tick[0]);
            }
        };
        afterMillis(millis, tick[0]);
        return periodic;
    }

    private static final class Periodic {
        private boolean cancelled;
    }

    private static Periodic cancel(Periodic periodic) {
        if (periodic != null) {
            periodic.cancelled = true;
        }
        return null;
    }

    private static SimScheduler.Scheduled cancel(SimScheduler.Scheduled scheduled) {
        if (scheduled != null) {
            scheduled.cancel();
        }
        return null;
    }

    private long now() {
        return clock.local(scheduler.now());
    }

    private static RoleInput role(VrrpState state) {
        return switch (state) {
            case INITIALIZE -> RoleInput.INITIALIZE;
            case BACKUP -> RoleInput.BACKUP;
            case MASTER -> RoleInput.MASTER;
            case FAULT -> RoleInput.FAULT;
        };
    }
}
