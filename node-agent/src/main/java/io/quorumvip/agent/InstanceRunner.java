package io.quorumvip.agent;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.http.InstanceStatus;
import io.quorumvip.agent.http.LeaseStatus;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.journal.Causes;
import io.quorumvip.agent.script.Notifier;
import io.quorumvip.agent.vip.VipEffector;
import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
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
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final Map<String, TrackerStatus> trackers = new LinkedHashMap<>();
    private EffectivePriority.Result trackedPriority;
    private OwnershipDecision decision;
    private long timerId = -1;
    private InetAddress lastMasterSeen;

    InstanceRunner(String name, String iface, int configuredPriority, VrrpStateMachine machine,
                   AdvertPublisher publisher, VipEffector vips, Notifier notifier, AgentMetrics metrics, Vertx vertx,
                   LongSupplier monotonicNanos, AgentJournal journal) {
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
        vips.release(new Cause(CauseKind.STARTUP, "not owned until won", 0));
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
        apply(machine.step(new VrrpInput.AdvertReceived(sender, priority, advertIntervalCentis), now()));
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
        vips.release(new Cause(CauseKind.SHUTDOWN, "shutdown", 0));
        return notifier.entered("STOP", machine.effectivePriority());
    }

    InstanceStatus status() {
        List<String> addresses = vips.vips().stream()
                .map(v -> v.address().getHostAddress() + "/" + v.prefixLength()).toList();
        return new InstanceStatus(name, vrid(), iface, stateName(machine.state()), configuredPriority,
                machine.effectivePriority(), LeaseStatus.NONE, vips.owned(), addresses,
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
        reconcileOwnership(cause);
        if (changed.to() != VrrpState.INITIALIZE) {
            notifier.entered(to, machine.effectivePriority());
        }
    }

    private void reconcileOwnership(Cause cause) {
        OwnershipInputs inputs = new OwnershipInputs(role(machine.state()), machine.state() == VrrpState.FAULT,
                false, false, 0, now());
        OwnershipDecision next = OwnershipRule.decide(inputs);
        if (!next.equals(decision)) {
            journal.record(cause, new Event.OwnershipDecided(name, inputs, next));
        }
        decision = next;
        if (decision.own()) {
            vips.own(Optional.empty(), cause);
        } else if (vips.owned()) {
            vips.release(cause);
        }
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
            apply(machine.step(new VrrpInput.TimerFired(), now()));
        });
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
