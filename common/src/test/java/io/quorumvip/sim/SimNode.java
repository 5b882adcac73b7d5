package io.quorumvip.sim;

import io.quorumvip.instance.DeadlineCalendar;
import io.quorumvip.instance.InstanceCore;
import io.quorumvip.instance.InstanceEffect;
import io.quorumvip.instance.InstanceInput;
import io.quorumvip.instance.InstanceSettings;
import io.quorumvip.events.Event;
import io.quorumvip.lease.PipelinedConfirmation;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One simulated agent process: the production {@link InstanceCore} of each of its instances, driven as the agent
 * drives them, over models of what lies outside the process (ZooKeeper client and latch, network, kernel).
 *
 * <p>The driver is the agent's event loop: one queue of work; a step's effects are performed in order and their
 * acknowledgements stepped right after; adverts, timers and ZooKeeper callbacks queue behind. A bind may stall
 * between the clock read and the netlink call (a GC pause, a slow syscall): the whole loop waits, and the kernel
 * starts the lifetime only then.
 *
 * <p>One session prover per node: every advert_int / 4 it sends {@code sync} and {@code exists} back to back
 * ({@link PipelinedConfirmation}, the agent's own), reading the clock before, and an {@code exists} answered after
 * an OK {@code sync}, on the same session, is a {@link InstanceInput.ConfirmationAnswered} for every instance at
 * once: stepped into a core that needs it now, offered to the others, as the agent does.
 */
final class SimNode implements ZkConnectionListener {

    /** How the node multicasts an advert of one instance on the LAN. */
    interface Adverts {
        void publish(int fromNode, int instance, int priority, int advertIntervalCentis);
    }

    /** How often a bind stalls before its netlink call, and for how long at most. */
    private static final double STALL_PROBABILITY = 0.02;
    private static final long MAX_STALL_NANOS = 2_000_000_000L;
    private static final long MAX_SYSCALL_STALL_NANOS = 1_000_000_000L;
    private static final long PROVER_PERIOD_NANOS = 250_000_000L;

    private final class Instance {
        final int index;
        final InstanceCore core;
        final SimLatch latch;
        final SimKernel kernel;
        final int advertCentis;

        Instance(int index, InstanceSettings settings, SimKernel kernel) {
            this.index = index;
            this.core = new InstanceCore(settings);
            this.kernel = kernel;
            this.advertCentis = settings.vrrp().advertIntervalCentis();
            this.latch = new SimLatch(index, name, scheduler, clock, client,
                    input -> scheduler.after(0, node, () -> submit(this, input)), trace);
        }
    }

    private final int node;
    private final String name;
    private final SimScheduler scheduler;
    private final SimClock clock;
    private final SimZkClient client;
    private final Adverts adverts;
    private final SimTrace trace;
    private final Set<SimulationBugs> bugs;
    private final List<Instance> instances = new ArrayList<>();
    private final DeadlineCalendar<Instance> calendar = new DeadlineCalendar<>();
    private SimScheduler.Scheduled wake;
    private long wakeAtLocal;
    private final Deque<Runnable> work = new ArrayDeque<>();
    private final long stallsUntil;
    private boolean stalled;
    private boolean killed;
    private int stoppedInstances;
    private Runnable whenStopped = () -> { };
    private long sessionId;

    /** {@code stallsUntil}: binds may stall until then (the fault window), never after, when liveness is judged. */
    SimNode(int node, String name, List<InstanceSettings> settings, List<SimKernel> kernels,
            SimScheduler scheduler, SimClock clock, SimZkClient client, Adverts adverts, SimTrace trace,
            Set<SimulationBugs> bugs, long stallsUntil) {
        this.stallsUntil = stallsUntil;
        this.node = node;
        this.name = name;
        this.scheduler = scheduler;
        this.clock = clock;
        this.client = client;
        this.adverts = adverts;
        this.trace = trace;
        this.bugs = bugs;
        for (int i = 0; i < settings.size(); i++) {
            instances.add(new Instance(i, settings.get(i), kernels.get(i)));
        }
    }

    void start() {
        client.start(this);
        instances.forEach(instance -> submit(instance, new InstanceInput.Start()));
        scheduler.after(PROVER_PERIOD_NANOS, node, this::proverTick);
    }

    void onAdvert(int instance, InetAddress sender, int priority, int advertIntervalCentis) {
        submit(instances.get(instance), new InstanceInput.AdvertReceived(sender, priority, advertIntervalCentis));
    }

    /** Graceful stop of every instance (addresses, latch, priority 0); {@code whenStopped} runs once all are done. */
    void shutdown(Runnable whenStopped) {
        this.whenStopped = whenStopped;
        instances.forEach(instance -> submit(instance, new InstanceInput.Shutdown()));
    }

    // --- ZooKeeper: one session for the node, one latch per instance ------------------------------------------

    @Override
    public void stateChanged(State state) {
        boolean newSession = false;
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                long id = client.sessionId();
                newSession = id != sessionId;
                sessionId = id;
                InstanceInput started = new InstanceInput.SessionStarted(id, client.timeoutNanos(),
                        SimZooKeeper.TICK_NANOS);
                instances.forEach(instance -> deliver(instance, started));
            }
            case LOST -> {
                sessionId = 0;
                instances.forEach(instance -> deliver(instance, new InstanceInput.SessionLost()));
            }
            case SUSPENDED -> {
                // Leadership stays (SessionConnectionStateErrorPolicy); validity runs out by itself.
            }
        }
        for (Instance instance : instances) {
            instance.latch.connectionChanged(state, newSession);
            if (state == State.RECONNECTED) {
                instance.latch.retryDeletes();
            }
        }
    }

    @Override
    public void latchChanged(int latch) {
        instances.get(latch).latch.latchChanged();
    }

    /**
     * The node's one lease confirmation per period. Under {@link SimulationBugs#NO_LEASE_CHECK} it claims an
     * answer without asking: what a prover that does not wait for ZooKeeper would do.
     */
    private void proverTick() {
        long session = client.sessionId();
        if (session != 0) {
            long sent = clock.local(scheduler.now());
            if (bugs.contains(SimulationBugs.NO_LEASE_CHECK)) {
                confirmed(session, sent);
            } else {
                PipelinedConfirmation confirmation = new PipelinedConfirmation(session, sent);
                client.send(new ZkRequest.Sync(),
                        synced -> confirmation.syncAnswered(synced.code() == ZkReply.Code.OK));
                client.send(new ZkRequest.Exists(0), exists -> {
                    if (confirmation.answered(exists.code() != ZkReply.Code.CONNECTION_LOSS)
                            && confirmation.proves(client.sessionId())) {
                        confirmed(session, sent);
                    }
                });
            }
        }
        instances.forEach(instance -> instance.latch.recheck());
        scheduler.after(PROVER_PERIOD_NANOS, node, this::proverTick);
    }

    /**
     * As the agent hands an answer on: one task on the event loop for every instance, which steps it into the cores
     * that need it at once and offers it to the others ({@link InstanceCore#offer}).
     */
    private void confirmed(long session, long sent) {
        InstanceInput.ConfirmationAnswered answered = new InstanceInput.ConfirmationAnswered(session, sent);
        scheduler.after(0, node, () -> {
            work.addLast(() -> instances.forEach(instance -> {
                if (instance.core.confirmationUrgent(answered, now())) {
                    work.addLast(() -> step(instance, answered));
                } else {
                    instance.core.offer(answered);
                }
            }));
            drain();
        });
    }

    /** A callback from the ZooKeeper client's thread hops to the event loop. */
    private void deliver(Instance instance, InstanceInput input) {
        scheduler.after(0, node, () -> submit(instance, input));
    }

    // --- the event loop ----------------------------------------------------------------------------------------

    private void submit(Instance instance, InstanceInput input) {
        work.addLast(() -> step(instance, input));
        drain();
    }

    private void drain() {
        while (!stalled && !work.isEmpty()) {
            work.pollFirst().run();
        }
    }

    private void step(Instance instance, InstanceInput input) {
        List<InstanceEffect> effects = instance.core.step(input, now());
        List<InstanceInput> acks = new ArrayList<>();
        List<Runnable> batch = new ArrayList<>();
        for (InstanceEffect effect : effects) {
            batch.add(() -> perform(instance, effect, acks));
        }
        batch.add(() -> {
            for (int i = acks.size() - 1; i >= 0; i--) {
                InstanceInput ack = acks.get(i);
                work.addFirst(() -> step(instance, ack));
            }
        });
        for (int i = batch.size() - 1; i >= 0; i--) {
            work.addFirst(batch.get(i));
        }
    }

    private void perform(Instance instance, InstanceEffect effect, List<InstanceInput> acks) {
        if (effect instanceof InstanceEffect.WriteAhead) {
            acks.add(new InstanceInput.WriteAheadDone(true, ""));
        } else if (effect instanceof InstanceEffect.Bind bind) {
            bind(instance, bind, acks);
        } else if (effect instanceof InstanceEffect.Release release) {
            if (release.wasBound() || instance.kernel.holds()) {
                trace.line(scheduler.now(), name, "release " + instance.index + ": " + release.cause().subject());
            }
            instance.kernel.remove();
            acks.add(new InstanceInput.ReleaseDone());
        } else if (effect instanceof InstanceEffect.SendAdvert send) {
            adverts.publish(node, instance.index, send.priority(), instance.advertCentis);
        } else if (effect instanceof InstanceEffect.SetTimer set) {
            calendar.schedule(instance, set.earliestNanos(), set.deadlineNanos());
            armWake();
        } else if (effect instanceof InstanceEffect.CancelTimer) {
            calendar.cancel(instance);
        } else if (effect instanceof InstanceEffect.Contend) {
            instance.latch.contend();
        } else if (effect instanceof InstanceEffect.Withdraw) {
            instance.latch.withdraw();
        } else if (effect instanceof InstanceEffect.CheckLatchFree) {
            instance.latch.checkFree();
        } else if (effect instanceof InstanceEffect.Journal journal) {
            traceJournal(instance, journal);
        } else if (effect instanceof InstanceEffect.ReportError error) {
            trace.line(scheduler.now(), name, "error " + instance.index + " " + error.what() + ": " + error.detail());
        } else if (effect instanceof InstanceEffect.Stopped) {
            trace.line(scheduler.now(), name, "instance " + instance.index + " stopped");
            if (++stoppedInstances == instances.size()) {
                scheduler.after(0, SimScheduler.ENVIRONMENT, whenStopped);
            }
        }
    }

    /**
     * The netlink call. Two stalls can come before it: one between the core's step and the effector (a GC pause,
     * a busy loop; a SIGSTOP may stretch it), and a short one between the effector's last clock read and the
     * syscall itself. The effector programs {@link InstanceEffect.Bind#lifetimeAt} its clock read; the kernel counts
     * the lifetime from when it handles the call, and the core hears back only after it.
     */
    private void bind(Instance instance, InstanceEffect.Bind bind, List<InstanceInput> acks) {
        if (scheduler.now() >= stallsUntil || scheduler.random().nextDouble() >= STALL_PROBABILITY) {
            call(instance, bind, acks, 0);
            return;
        }
        long stall = (long) (scheduler.random().nextDouble() * MAX_STALL_NANOS);
        trace.line(scheduler.now(), name, "stalled " + stall / 1_000_000 + " ms before the effector");
        stalled = true;
        scheduler.after(stall, node, () -> call(instance, bind, acks,
                (long) (scheduler.random().nextDouble() * MAX_SYSCALL_STALL_NANOS)));
    }

    private void call(Instance instance, InstanceEffect.Bind bind, List<InstanceInput> acks, long syscallStall) {
        long seconds = bugs.contains(SimulationBugs.STALE_LIFETIME) || bind.lifetimeSeconds().isEmpty()
                ? bind.lifetimeSeconds().orElse(0) : bind.lifetimeAt(now());
        OptionalLong lifetime = bugs.contains(SimulationBugs.NO_KERNEL_LIFETIME) || bind.lifetimeSeconds().isEmpty()
                ? OptionalLong.empty() : OptionalLong.of(seconds);
        Runnable syscall = () -> {
            if (bind.lifetimeSeconds().isEmpty() || seconds >= 1) {
                instance.kernel.addOrRenew(lifetime);
            }
            acks.add(new InstanceInput.BindDone(seconds));
        };
        if (syscallStall == 0) {
            syscall.run();
            resume();
        } else {
            // Bounded and not stretched by a SIGSTOP: docs/simulation.md says why this one stays short.
            stalled = true;
            scheduler.after(syscallStall, SimScheduler.ENVIRONMENT, () -> {
                if (!killed) {
                    syscall.run();
                    resume();
                }
            });
        }
    }

    /** Ends a stall: the work that queued up behind it runs now. */
    private void resume() {
        if (stalled) {
            stalled = false;
            drain();
        }
    }

    /** The process was killed: a syscall it had not made yet never happens. */
    void kill() {
        killed = true;
    }

    /** The node's one wake-up for its instances' timers, as the agent's {@code InstanceCalendar} drives it. */
    private void armWake() {
        OptionalLong next = calendar.nextWakeNanos();
        if (next.isEmpty() || wake != null && wakeAtLocal - next.getAsLong() <= 0) {
            return;
        }
        if (wake != null) {
            wake.cancel();
        }
        wakeAtLocal = next.getAsLong();
        wake = scheduler.at(Math.max(scheduler.now(), clock.global(wakeAtLocal)), node, () -> {
            wake = null;
            for (Instance due : calendar.takeDue(now())) {
                submit(due, new InstanceInput.TimerFired());
            }
            armWake();
        });
    }

    private void traceJournal(Instance instance, InstanceEffect.Journal journal) {
        Event event = journal.event();
        if (event instanceof Event.OwnershipDecided decided) {
            trace.line(scheduler.now(), name, instance.index + " decided " + decided.decision().reason() + " ("
                    + journal.cause().subject() + ")");
        } else if (!(event instanceof Event.NewMasterSeen)) {
            trace.line(scheduler.now(), name, instance.index + " " + event + " (" + journal.cause().subject()
                    + ")");
        }
    }

    private long now() {
        return clock.local(scheduler.now());
    }
}
