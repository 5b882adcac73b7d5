package io.quorumvip.agent;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.http.InstanceStatus;
import io.quorumvip.agent.http.LeaseStatus;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.lease.LatchAdapter;
import io.quorumvip.agent.script.Notifier;
import io.quorumvip.agent.vip.VipEffector;
import io.quorumvip.events.Event;
import io.quorumvip.instance.InstanceCore;
import io.quorumvip.instance.InstanceEffect;
import io.quorumvip.instance.InstanceInput;
import io.quorumvip.instance.InstanceSettings;
import io.quorumvip.ownership.RoleInput;
import io.quorumvip.track.TrackerStatus;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vrrp_instance at run time: a thin driver of its {@link InstanceCore}. It feeds the core its inputs with the
 * time (adverts with their socket receive time), performs the effects in order, and feeds their outcome back:
 * netlink through the {@link VipEffector} (renewals together with other instances' through the {@link
 * RenewalBatch}), the latch through its {@link LatchAdapter}, the write-ahead on a worker thread so an fsync never
 * stalls the event loop that also serves HTTP. Everything else happens on the agent's event loop, so the core is
 * never touched by two threads.
 */
final class InstanceRunner implements InstanceCalendar.Due {

    private static final Logger log = LoggerFactory.getLogger(InstanceRunner.class);

    private record Pending(InstanceInput input, long atNanos) {
    }

    private final String name;
    private final String iface;
    private final InstanceSettings settings;
    private final AdvertPublisher publisher;
    private final VipEffector vips;
    private final Notifier notifier;
    private final AgentMetrics metrics;
    private final AgentMetrics.InstanceSeries series;
    private final Vertx vertx;
    private final InstanceCalendar calendar;
    private final RenewalBatch renewals;
    private final LongSupplier monotonicNanos;
    private final AgentJournal journal;
    private final List<TrackerStatus> trackers = new ArrayList<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private Optional<LatchAdapter> latch = Optional.empty();
    private Optional<SyncGroupRunner> group = Optional.empty();
    private InstanceCore core;
    private boolean stepping;
    private CompletableFuture<Void> stopNotified = CompletableFuture.completedFuture(null);

    InstanceRunner(InstanceSettings settings, String iface, AdvertPublisher publisher, VipEffector vips,
                   Notifier notifier, AgentMetrics metrics, Vertx vertx, InstanceCalendar calendar,
                   RenewalBatch renewals, LongSupplier monotonicNanos, AgentJournal journal) {
        this.name = settings.name();
        this.iface = iface;
        this.settings = settings;
        this.publisher = publisher;
        this.vips = vips;
        this.notifier = notifier;
        this.metrics = metrics;
        this.vertx = vertx;
        this.calendar = calendar;
        this.renewals = renewals;
        this.monotonicNanos = monotonicNanos;
        this.journal = journal;
        this.series = metrics.declareInstance(name, settings.quorum());
        metrics.effectivePriority(name, settings.vrrp().priority());
    }

    String name() {
        return name;
    }

    int vrid() {
        return settings.vrrp().vrid();
    }

    /** Declares a tracker before start; its verdict counts from the first step on. */
    void track(TrackerStatus tracker) {
        trackers.add(tracker);
    }

    /** The instance's latch, with a quorum; set before start. */
    void useLatch(LatchAdapter adapter) {
        latch = Optional.of(adapter);
    }

    /** The instance's vrrp_sync_group; set before start. */
    void joinGroup(SyncGroupRunner syncGroup) {
        group = Optional.of(syncGroup);
    }

    /** An input from the instance's sync group. */
    void relay(InstanceInput input) {
        feed(input, now());
    }

    void start() {
        if (core == null) {
            create();
        }
        feed(new InstanceInput.Start(), now());
    }

    /** Builds the core before start; a sync group's inputs may reach it first. */
    void create() {
        core = new InstanceCore(new InstanceSettings(name, settings.vrrp(), settings.quorum(), settings.addresses(),
                trackers));
    }

    /** An advert, stepped at the time the socket received it. */
    void onAdvert(InetAddress sender, int priority, int advertIntervalCentis, long receivedNanos) {
        series.advertReceived();
        feed(new InstanceInput.AdvertReceived(sender, priority, advertIntervalCentis), receivedNanos);
    }

    /** An input of the instance's latch, delivered on the agent's context. */
    void onLease(InstanceInput input) {
        feed(input, now());
    }

    /**
     * An input of the node's session prover, on the agent's context. A confirmation the core does not need at once
     * is only offered: the core takes it before its next step (an advert, a timer), which spares a step and a timer
     * per instance per answer. A member of a sync group is always stepped: its group bounds the other members'
     * addresses by its validUntil, which must not lag.
     */
    void onProver(InstanceInput input) {
        if (input instanceof InstanceInput.ConfirmationAnswered answered && core != null && group.isEmpty()
                && !core.confirmationUrgent(answered, now())) {
            core.offer(answered);
        } else {
            feed(input, now());
        }
    }

    /** The agent's calendar found the core's timer due. */
    @Override
    public void timerFired() {
        feed(new InstanceInput.TimerFired(), now());
    }

    /** A tracker's verdict changed. */
    void onTracker(String tracker, boolean healthy) {
        feed(new InstanceInput.TrackerChanged(tracker, healthy), now());
    }

    /** A value tracker (a track_file) has a new status for this instance. */
    void onTrackerStatus(TrackerStatus status) {
        feed(new InstanceInput.TrackerStatusChanged(status), now());
    }

    /**
     * Graceful stop: the addresses go first, then the latch, then the priority-0 advert invites a backup.
     *
     * @return completes when the instance stopped and its notify_stop scripts have run
     */
    CompletableFuture<Void> shutdown() {
        feed(new InstanceInput.Shutdown(), now());
        return stopped;
    }

    InstanceStatus status() {
        InstanceCore.View view = core.view(now());
        List<String> addresses = vips.vips().stream()
                .map(v -> v.address().getHostAddress() + "/" + v.prefixLength()).toList();
        LeaseStatus lease = !settings.quorum() ? LeaseStatus.NONE : new LeaseStatus(view.validForNanos() > 0,
                view.leaseHeld() ? view.epoch() : null, view.validForNanos() / 1_000_000);
        return new InstanceStatus(name, vrid(), iface, InstanceCore.stateName(view.state()),
                settings.vrrp().priority(), view.effectivePriority(), lease, view.bound(), addresses,
                view.decision());
    }

    // --- the driver --------------------------------------------------------------------------------------------

    /** Steps the core; acknowledgements of its effects queue and are stepped right after, in order. */
    private void feed(InstanceInput input, long atNanos) {
        pending.addLast(new Pending(input, atNanos));
        if (stepping || core == null) {
            return;
        }
        stepping = true;
        try {
            while (!pending.isEmpty()) {
                Pending next = pending.pollFirst();
                for (InstanceEffect effect : core.step(next.input(), next.atNanos())) {
                    perform(effect);
                }
                group.ifPresent(g -> g.observed(name, core.member()));
            }
        } finally {
            stepping = false;
        }
        group.ifPresent(SyncGroupRunner::drain);
        if (settings.quorum()) {
            long at = now();
            long validFor = core.view(at).validForNanos();
            series.lease(validFor > 0, at + validFor);
        }
    }

    /** An acknowledgement, stepped at the time it is read (after the kernel's or ZooKeeper's answer). */
    private void ack(InstanceInput input) {
        pending.addLast(new Pending(input, now()));
    }

    private void perform(InstanceEffect effect) {
        if (effect instanceof InstanceEffect.Journal entry) {
            journal.record(entry.epoch(), entry.cause(), entry.event());
            observe(entry);
        } else if (effect instanceof InstanceEffect.WriteAhead ahead) {
            writeAhead(ahead);
        } else if (effect instanceof InstanceEffect.Bind bind) {
            bind(bind);
        } else if (effect instanceof InstanceEffect.Release release) {
            boolean removed = vips.release(release.cause(), release.lifetimeEndedNanos());
            ack(removed ? new InstanceInput.ReleaseDone()
                    : new InstanceInput.ReleaseFailed("netlink refused to remove an address (see the log)"));
        } else if (effect instanceof InstanceEffect.SendAdvert send) {
            send(send.priority());
        } else if (effect instanceof InstanceEffect.Announce) {
            vips.reannounce();
        } else if (effect instanceof InstanceEffect.SetTimer set) {
            calendar.schedule(this, set.earliestNanos(), set.deadlineNanos());
        } else if (effect instanceof InstanceEffect.CancelTimer) {
            calendar.cancel(this);
        } else if (effect instanceof InstanceEffect.Contend) {
            latch.ifPresent(LatchAdapter::contend);
        } else if (effect instanceof InstanceEffect.Withdraw) {
            latch.ifPresentOrElse(LatchAdapter::withdraw, () -> ack(new InstanceInput.LatchGone()));
        } else if (effect instanceof InstanceEffect.CheckLatchFree) {
            latch.ifPresent(LatchAdapter::checkLatchFree);
        } else if (effect instanceof InstanceEffect.Notify notify) {
            CompletableFuture<Void> ran = notifier.entered(notify.state(), notify.priority());
            if (notify.state().equals("STOP")) {
                stopNotified = ran;
            }
        } else if (effect instanceof InstanceEffect.ReportError error) {
            metrics.error(name, error.what());
            log.atError().setMessage(error.detail()).addKeyValue("instance", name).addKeyValue("what", error.what())
                    .log();
        } else if (effect instanceof InstanceEffect.Stopped) {
            calendar.cancel(this);
            stopNotified.whenComplete((v, e) -> stopped.complete(null));
        }
    }

    /** Logs and counts what the journal records, so the metrics follow the core's decisions. */
    private void observe(InstanceEffect.Journal entry) {
        Event event = entry.event();
        if (event instanceof Event.VrrpStateChanged changed) {
            String from = stateName(changed.from());
            String to = stateName(changed.to());
            log.atInfo().setMessage("VRRP state changed").addKeyValue("instance", name).addKeyValue("from", from)
                    .addKeyValue("to", to).addKeyValue("cause", entry.cause().subject()).log();
            metrics.transition(name, from, to);
        } else if (event instanceof Event.EffectivePriorityChanged changed) {
            metrics.effectivePriority(name, changed.to());
        } else if (event instanceof Event.LeaseAcquired) {
            leaseEvent("acquired", entry);
        } else if (event instanceof Event.LeaseConfirmationLapsed) {
            leaseEvent("lapsed", entry);
        } else if (event instanceof Event.LeaseLost) {
            leaseEvent("lost", entry);
        } else if (event instanceof Event.LeaseReleased) {
            leaseEvent("released", entry);
        }
    }

    /** The state as the status contract and keepalived spell it. */
    private static String stateName(RoleInput role) {
        return role == RoleInput.INITIALIZE ? "INIT" : role.name();
    }

    private void leaseEvent(String what, InstanceEffect.Journal entry) {
        metrics.leaseEvent(name, what);
        log.atInfo().setMessage("quorum lease " + what).addKeyValue("instance", name)
                .addKeyValue("epoch", entry.epoch()).addKeyValue("cause", entry.cause().subject()).log();
    }

    /** The gain goes to disk on a worker thread; its outcome comes back on the event loop. */
    private void writeAhead(InstanceEffect.WriteAhead ahead) {
        vertx.<Boolean>executeBlocking(() -> {
            for (Event event : ahead.events()) {
                if (!journal.writeAhead(ahead.cause(), event)) {
                    return false;
                }
            }
            return true;
        }).onComplete(result -> {
            boolean durable = result.succeeded() && result.result();
            feed(new InstanceInput.WriteAheadDone(durable, durable ? "" : "journal " + journal.health()),
                    now());
        });
    }

    /**
     * Reads the clock right before the netlink call and programs the lifetime that still fits the lease. A renewal
     * of addresses already bound goes out with the other instances' renewals of this task.
     */
    private void bind(InstanceEffect.Bind bind) {
        if (!bind.gaining() && vips.owned() && bind.lifetimeSeconds().isPresent()) {
            renewals.renew(vips, bind, (seconds, all) -> feed(all ? new InstanceInput.BindDone(seconds)
                    : new InstanceInput.BindFailed("netlink refused to renew an address (see the log)"), now()));
            return;
        }
        long seconds = bind.lifetimeSeconds().isPresent() ? bind.lifetimeAt(now()) : 0;
        if (bind.lifetimeSeconds().isPresent() && seconds < 1) {
            ack(new InstanceInput.BindDone(0));
            return;
        }
        Optional<Duration> lifetime = bind.lifetimeSeconds().isPresent() ? Optional.of(Duration.ofSeconds(seconds))
                : Optional.empty();
        boolean all = vips.own(lifetime, bind.cause());
        ack(all ? new InstanceInput.BindDone(seconds)
                : new InstanceInput.BindFailed("netlink refused to add an address (see the log)"));
    }

    private void send(int priority) {
        try {
            publisher.publish(priority);
            series.advertSent();
        } catch (IOException e) {
            metrics.error(name, "send");
            log.atWarn().setMessage("advert not sent").addKeyValue("instance", name)
                    .addKeyValue("priority", priority).addKeyValue("error", e.getMessage()).log();
        }
    }

    private long now() {
        return monotonicNanos.getAsLong();
    }
}
